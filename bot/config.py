"""The moderators' contract: a TOML file validated by pydantic, unknown keys refused."""

from __future__ import annotations

import os
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.domain.contributions import match_domain
from bot.domain.durations import format_duration, parse_duration
from bot.domain.matching import Weights
from bot.domain.schedule import Cron, cron
from bot.domain.skills import normalise
from bot.i18n import Catalogue
from bot.i18n.types import Language


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a duration string such as 90m, 24h or 7d")
    return parse_duration(value)


Duration = Annotated[
    timedelta, BeforeValidator(_duration), PlainSerializer(format_duration, return_type=str)
]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatrixConfig(Section):
    homeserver: str
    user_id: str
    password: str = ""
    access_token: str = ""
    device_name: str = "compagnon"
    display_name: str = Field(default="Compagnon", min_length=1, max_length=100)
    store_path: Path = Path("data")
    store_key: str = ""  # the secret the encryption store is pickled under
    store_key_file: Path | None = None  # or a file holding it

    @field_validator("homeserver")
    @classmethod
    def _http_address(cls, url: str) -> str:
        try:
            parts = urlsplit(url)
            usable = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
        except ValueError:  # a port that is not a number up to 65535, or a broken [IPv6] host
            usable = False
        if not usable or any(character.isspace() for character in url):
            raise ValueError(
                "expected http:// or https:// then a host name, without spaces, "
                "such as https://matrix.example.org"
            )
        return url

    @field_validator("user_id")
    @classmethod
    def _matrix_user(cls, user_id: str) -> str:
        name, colon, server = user_id.partition(":")
        if not (name.startswith("@") and name[1:] and colon and server) or any(
            character.isspace() for character in user_id
        ):
            raise ValueError("must look like @name:server, such as @compagnon:example.org")
        return user_id

    @model_validator(mode="after")
    def _some_credential(self, info: ValidationInfo) -> MatrixConfig:
        offline = isinstance(info.context, dict) and info.context.get("offline") is True
        if not (offline or self.password or self.access_token):
            raise ValueError(
                "password or access_token is required (or the environment variable "
                "COMPAGNON_PASSWORD / COMPAGNON_ACCESS_TOKEN, or a systemd credential "
                "named password / access_token)"
            )
        return self

    @model_validator(mode="after")
    def _one_store_key(self) -> MatrixConfig:
        if self.store_key and self.store_key_file is not None:
            raise ValueError("give store_key or store_key_file, not both")
        return self


class RateLimitConfig(Section):
    """How many commands one member may send in a burst, and how fast the allowance refills."""

    burst: int = Field(default=5, ge=1)
    per_minute: float = Field(default=20, gt=0)


class BotConfig(Section):
    command_prefix: str = Field(default="!", min_length=1, max_length=5, pattern=r"^\S+$")
    language: Language = "fr"
    rooms: list[str] = []
    allowed_inviters: list[str] = []
    moderators: list[str] = []
    moderation_room: str = ""
    moderator_power_level: int = 50
    offline_grace: Duration = timedelta(hours=24)
    max_command_length: int = Field(default=2000, ge=100, le=60000)
    rate_limit: RateLimitConfig = RateLimitConfig()

    @field_validator("rooms")
    @classmethod
    def _room_ids_or_aliases(cls, rooms: list[str]) -> list[str]:
        for room in rooms:
            _room_id_or_alias(room)
        return rooms

    @field_validator("moderation_room")
    @classmethod
    def _one_room_or_none(cls, room: str) -> str:
        return room and _room_id_or_alias(room)

    @field_validator("allowed_inviters", "moderators")
    @classmethod
    def _user_ids_or_domains(cls, users: list[str]) -> list[str]:
        for user in users:
            if not (user.startswith(":") or (user.startswith("@") and ":" in user)):
                raise ValueError(
                    f"{user!r} is neither a user id (@name:server) nor a domain (:server)"
                )
        return users


def _room_id_or_alias(room: str) -> str:
    if not (room.startswith("!") or (room.startswith("#") and ":" in room)):
        raise ValueError(f"{room!r} is neither a room id (!…) nor an alias (#…:server)")
    return room


class DatabaseConfig(Section):
    path: Path = Path("data/compagnon.sqlite3")


class SkillsConfig(Section):
    aliases: dict[str, str] = {}


class ContributionsConfig(Section):
    domains: list[str] = Field(
        default=["habitat", "transmission", "soin", "animation", "administration"], min_length=1
    )
    confirmations_required: int = Field(default=1, ge=1, le=10)
    probation_days: int = Field(default=30, ge=0, le=365)  # before a newcomer may confirm
    max_hours_per_week: float = Field(default=50, gt=0)  # credited to one member's weight
    max_confirmed_hours_per_week: float = Field(default=40, gt=0)  # one member may vouch for
    trust_bound: bool = True  # credit only what trust from the moderators vouches for
    review_share: float = Field(default=0.0, ge=0, le=1)  # of new work, asked of someone uninvolved
    # A domain's name in a language, where it is not the one in ``domains``: what members
    # of a community in that language read, and may type, besides the name itself.
    domain_labels: dict[str, dict[Language, str]] = {}

    @field_validator("domains")
    @classmethod
    def _distinct_domains(cls, domains: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for domain in domains:
            key = normalise(domain)
            if not key:
                raise ValueError("a domain name cannot be empty")
            if key in seen:
                raise ValueError(f"{domain!r} and {seen[key]!r} are the same domain")
            seen[key] = domain
        return domains

    @model_validator(mode="after")
    def _labels_of_known_domains(self) -> ContributionsConfig:
        """Each label names a listed domain, and no spelling could mean two domains."""
        meaning: dict[str, str] = {}
        for domain in self.domains:
            for spelling in self.spellings(domain):
                key = normalise(spelling)
                if not key:
                    raise ValueError(f"domain_labels.{domain}: a label cannot be empty")
                if meaning.setdefault(key, domain) != domain:
                    raise ValueError(
                        f"{spelling!r} would name both {meaning[key]!r} and {domain!r}"
                    )
        unknown = sorted(set(self.domain_labels) - set(self.domains))
        if unknown:
            raise ValueError(f"domain_labels names {', '.join(map(repr, unknown))}, not in domains")
        return self

    def spellings(self, domain: str) -> list[str]:
        """How members may write a domain: its name and its labels."""
        return [domain, *self.domain_labels.get(domain, {}).values()]

    def domain_named(self, typed: str) -> str | None:
        """The domain a member means, by its name or a label, as ``domains`` spells it."""
        return next(
            (domain for domain in self.domains if match_domain(typed, self.spellings(domain))),
            None,
        )

    def labels(self, language: Language) -> dict[str, str]:
        """Each domain's label in a language, where it has one."""
        return {
            domain: labels[language]
            for domain, labels in self.domain_labels.items()
            if language in labels
        }


class PollsConfig(Section):
    default_duration: Duration = timedelta(days=7)
    default_reminder: Duration | None = None  # before the close, to those who have not voted
    max_weight: float = Field(default=3.0, ge=1.0)
    half_life_days: float = Field(default=180, gt=0)
    engagement_factor: float = Field(default=0.25, ge=0)
    domain_factor: float = Field(default=0.25, ge=0)


class MatchingConfig(Section):
    mentor_capacity: int = Field(default=2, ge=1)
    max_suggestions: int = Field(default=3, ge=1, le=20)
    # The score's weights, in the order of importance PRODUCT.md gives them.
    weight_gap: float = Field(default=8.0, ge=0)
    weight_reciprocity: float = Field(default=4.0, ge=0)
    weight_waiting: float = Field(default=2.0, ge=0)
    weight_capacity: float = Field(default=1.0, ge=0)
    weight_novelty: float = Field(default=1.0, ge=0)
    waiting_days_full: float = Field(default=60, gt=0)

    def scoring(self) -> Weights:
        """The score's constants, as the plain values the matching domain takes."""
        return Weights(
            gap=self.weight_gap,
            reciprocity=self.weight_reciprocity,
            waiting=self.weight_waiting,
            capacity=self.weight_capacity,
            novelty=self.weight_novelty,
            waiting_days_full=self.waiting_days_full,
            mentor_capacity=self.mentor_capacity,
        )


class DigestConfig(Section):
    schedule: str = "0 9 * * mon"
    timezone: str = "Europe/Paris"
    rooms: list[str] = []

    @field_validator("rooms")
    @classmethod
    def _room_ids(cls, rooms: list[str]) -> list[str]:
        for room in rooms:
            if not (room.startswith("!") and ":" in room):
                raise ValueError(f"{room!r} is not a room id such as !abc:example.org")
        return rooms

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not a time zone name such as Europe/Paris") from None
        return name

    @field_validator("schedule")
    @classmethod
    def _five_fields(cls, schedule: str) -> str:
        cron(schedule, "UTC")  # the zone changes when it runs, never whether it can
        return schedule

    def trigger(self) -> Cron:
        """The digest's schedule, in its time zone (both validated with the config)."""
        return cron(self.schedule, self.timezone)


class WorkshopsConfig(Section):
    reminder: Duration = timedelta(hours=24)  # before a workshop, to those signed up


class Config(Section):
    matrix: MatrixConfig
    bot: BotConfig = BotConfig()
    database: DatabaseConfig = DatabaseConfig()
    skills: SkillsConfig = SkillsConfig()
    contributions: ContributionsConfig = ContributionsConfig()
    polls: PollsConfig = PollsConfig()
    matching: MatchingConfig = MatchingConfig()
    digest: DigestConfig = DigestConfig()
    workshops: WorkshopsConfig = WorkshopsConfig()

    def catalogue(self) -> Catalogue:
        """The community's voice: its language, and its domains as that language names them."""
        language = self.bot.language
        return Catalogue(language, self.contributions.labels(language))


class ConfigError(Exception):
    """A config file that cannot be used, explained for the person who wrote it."""


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(file)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown key (see config.example.toml for the valid keys)")
        elif item["type"] == "missing":
            lines.append(f"{where}: required key is missing")
        elif item["loc"][-1:] in (("password",), ("access_token",), ("store_key",)):
            lines.append(f"{where}: {message}")  # never echo a secret
        elif isinstance(item.get("input"), dict):
            lines.append(f"{where}: {message}")  # about a whole section: no single value to show
        else:
            lines.append(f"{where} = {item.get('input')!r}: {message}")
    return "\n".join(lines)


def parse_config(
    data: dict[str, object], environ: os._Environ[str] | dict[str, str], *, offline: bool = False
) -> Config:
    """Validate raw TOML data; the environment's secrets win over systemd's credentials
    (files in ``$CREDENTIALS_DIRECTORY``), which win over the file's. ``offline``: for
    commands that read the database alone, no credential is required."""
    matrix = data.get("matrix")
    if isinstance(matrix, dict):
        matrix = dict(matrix)
        credentials = environ.get("CREDENTIALS_DIRECTORY")
        for key, variable in (
            ("password", "COMPAGNON_PASSWORD"),
            ("access_token", "COMPAGNON_ACCESS_TOKEN"),
            ("store_key", "COMPAGNON_STORE_KEY"),
        ):
            if environ.get(variable):
                matrix[key] = environ[variable]
            elif credentials and (Path(credentials) / key).is_file():
                matrix[key] = _credential(Path(credentials) / key)
        data = {**data, "matrix": matrix}
    try:
        return Config.model_validate(data, context={"offline": offline})
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None


def _credential(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read the credential {path}: {error}") from None


def load_config(path: Path, *, offline: bool = False) -> Config:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file (compagnon init writes one; or copy config.example.toml)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    config = parse_config(data, os.environ, offline=offline)
    return _relative_to(config, path.parent)


def _relative_to(config: Config, base: Path) -> Config:
    """Relative paths in the file mean relative to the file, not to wherever it was run from."""
    key_file = config.matrix.store_key_file
    return config.model_copy(
        update={
            "matrix": config.matrix.model_copy(
                update={
                    "store_path": base / config.matrix.store_path,
                    "store_key_file": None if key_file is None else base / key_file,
                }
            ),
            "database": config.database.model_copy(update={"path": base / config.database.path}),
        }
    )
