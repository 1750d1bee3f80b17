"""The moderators' contract: the TOML file, its defaults, and the errors people see."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import Config, ConfigError, load_config, parse_config

MINIMAL = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@compagnon:example.org"
password = "from-the-file"
"""

NO_ENVIRONMENT: dict[str, str] = {}


def parse(text: str, environ: dict[str, str] | None = None) -> Config:
    return parse_config(tomllib.loads(text), NO_ENVIRONMENT if environ is None else environ)


def error_of(text: str, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(text, environ)
    return str(caught.value)


@pytest.fixture
def no_credentials_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPAGNON_PASSWORD", raising=False)
    monkeypatch.delenv("COMPAGNON_ACCESS_TOKEN", raising=False)


def test_a_minimal_file_gets_every_default() -> None:
    config = parse(MINIMAL)

    assert config.matrix.homeserver == "https://matrix.example.org"
    assert config.matrix.user_id == "@compagnon:example.org"
    assert config.matrix.password == "from-the-file"
    assert config.matrix.access_token == ""
    assert config.matrix.device_name == "compagnon"
    assert config.matrix.store_path == Path("data")

    assert config.bot.command_prefix == "!"
    assert config.bot.language == "fr"
    assert config.bot.rooms == []
    assert config.bot.allowed_inviters == []
    assert config.bot.moderators == []
    assert config.bot.moderator_power_level == 50
    assert config.bot.offline_grace == timedelta(hours=24)
    assert config.bot.max_command_length == 2000
    assert config.bot.rate_limit.burst == 5
    assert config.bot.rate_limit.per_minute == 20

    assert config.database.path == Path("data/compagnon.sqlite3")
    assert config.skills.aliases == {}
    assert config.contributions.domains == [
        "habitat",
        "transmission",
        "soin",
        "animation",
        "administration",
    ]
    assert config.contributions.confirmations_required == 1
    assert config.polls.default_duration == timedelta(days=7)
    assert config.polls.max_weight == 3.0
    assert config.polls.half_life_days == 180
    assert config.polls.engagement_factor == 0.25
    assert config.polls.domain_factor == 0.25
    assert config.matching.mentor_capacity == 2
    assert config.matching.max_suggestions == 3
    assert config.digest.schedule == "0 9 * * mon"
    assert config.digest.timezone == "Europe/Paris"
    assert config.digest.rooms == []


def test_a_full_file_is_read_as_written() -> None:
    config = parse(
        MINIMAL
        + """
[bot]
command_prefix = "?"
language = "en"
rooms = ["!abc:example.org", "#entraide:example.org"]
moderators = ["@alice:example.org", ":example.org"]
offline_grace = "1h30"

[bot.rate_limit]
burst = 2
per_minute = 4.5

[database]
path = "/var/lib/compagnon/db.sqlite3"

[skills.aliases]
js = "javascript"

[polls]
default_duration = "2w"

[digest]
schedule = "30 18 * * fri"
timezone = "America/Montreal"
"""
    )
    assert config.bot.command_prefix == "?"
    assert config.bot.language == "en"
    assert config.bot.rooms == ["!abc:example.org", "#entraide:example.org"]
    assert config.bot.moderators == ["@alice:example.org", ":example.org"]
    assert config.bot.offline_grace == timedelta(hours=1, minutes=30)
    assert config.bot.rate_limit.burst == 2
    assert config.bot.rate_limit.per_minute == 4.5
    assert config.database.path == Path("/var/lib/compagnon/db.sqlite3")
    assert config.skills.aliases == {"js": "javascript"}
    assert config.polls.default_duration == timedelta(weeks=2)
    assert config.digest.schedule == "30 18 * * fri"
    assert config.digest.timezone == "America/Montreal"


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ("colour = 'blue'\n" + MINIMAL, "colour"),
        (MINIMAL + "pasword = 'typo'\n", "matrix.pasword"),
        (MINIMAL + "[bot]\nlangage = 'en'\n", "bot.langage"),
        (MINIMAL + "[bot.rate_limit]\nbursts = 3\n", "bot.rate_limit.bursts"),
        (MINIMAL + "[digets]\nschedule = '0 9 * * mon'\n", "digets"),
    ],
)
def test_an_unknown_key_is_refused_by_its_path(extra: str, where: str) -> None:
    message = error_of(extra)
    assert f"{where}: unknown key" in message


@pytest.mark.parametrize(
    ("section", "line", "where", "value", "expected"),
    [
        ("bot", 'language = "de"', "bot.language", "'de'", "'fr' or 'en'"),
        ("bot", 'offline_grace = "soon"', "bot.offline_grace", "'soon'", "90m"),
        ("bot", "offline_grace = 24", "bot.offline_grace", "24", "duration"),
        ("digest", 'timezone = "Mars/Olympus"', "digest.timezone", "'Mars/Olympus'", "time zone"),
        ("digest", 'schedule = "0 9 *"', "digest.schedule", "'0 9 *'", "5 fields"),
        ("digest", 'schedule = "0 25 * * mon"', "digest.schedule", "'0 25 * * mon'", "hour"),
        ("digest", 'schedule = "0 9 * * lun"', "digest.schedule", "'0 9 * * lun'", "weekday"),
        ("digest", 'schedule = "0 9 31 2 *"', "digest.schedule", "'0 9 31 2 *'", "never runs"),
        ("bot", 'rooms = ["general"]', "bot.rooms", "['general']", "room id"),
        ("bot", 'moderators = ["alice"]', "bot.moderators", "['alice']", "user id"),
        ("bot", "max_command_length = 10", "bot.max_command_length", "10", "100"),
        ("bot", 'command_prefix = "a b"', "bot.command_prefix", "'a b'", "pattern"),
        ("polls", 'default_duration = "0m"', "polls.default_duration", "'0m'", "than zero"),
    ],
)
def test_a_bad_value_names_the_key_the_value_and_what_was_expected(
    section: str, line: str, where: str, value: str, expected: str
) -> None:
    message = error_of(f"{MINIMAL}\n[{section}]\n{line}\n")
    assert f"{where} = {value}" in message
    assert expected in message


@pytest.mark.parametrize(
    "schedule", ["0 9 * * 1", "30 8 * * *", "0 18 1 * *", "0 9 * * mon-fri", "*/30 7-9 * * 0,6"]
)
def test_a_crontab_schedule_is_accepted(schedule: str) -> None:
    assert parse(f'{MINIMAL}\n[digest]\nschedule = "{schedule}"\n').digest.schedule == schedule


def test_a_bad_cron_field_is_named_with_what_was_wrong() -> None:
    message = error_of(f'{MINIMAL}\n[digest]\nschedule = "61 9 * * mon"\n')
    assert "the minute field '61' is wrong" in message
    assert "59" in message


def test_every_bad_value_is_reported_at_once() -> None:
    message = error_of(MINIMAL + '[bot]\nlanguage = "de"\n[digest]\ntimezone = "Mars/Olympus"\n')
    assert "bot.language" in message
    assert "digest.timezone" in message


@pytest.mark.parametrize(
    "homeserver",
    [
        "matrix.example.org",
        "htp//nowhere",
        "ftp://matrix.example.org",
        "https://",
        "https://:8448",
        "https://matrix example.org",
        "https://matrix.example.org ",
        "https://matrix.example.org:99999",
        "https://matrix.example.org:port",
        "https://[::1",
    ],
)
def test_a_homeserver_that_is_not_an_http_address_is_refused(homeserver: str) -> None:
    message = error_of(MINIMAL.replace("https://matrix.example.org", homeserver))
    assert message == (
        f"matrix.homeserver = {homeserver!r}: expected http:// or https:// then a host name, "
        "without spaces, such as https://matrix.example.org"
    )


@pytest.mark.parametrize(
    "homeserver",
    ["http://127.0.0.1:8008", "https://matrix.example.org/prefix/", "https://[::1]:8448"],
)
def test_a_homeserver_with_a_port_a_path_or_an_ip_is_accepted(homeserver: str) -> None:
    config = parse(MINIMAL.replace("https://matrix.example.org", homeserver))
    assert config.matrix.homeserver == homeserver


def test_errors_about_the_matrix_section_never_show_the_password() -> None:
    text = MINIMAL.replace("https://matrix.example.org", "matrix.example.org")
    message = error_of(text + "devise_name = 'typo'\n")
    assert "matrix.homeserver" in message
    assert "matrix.devise_name: unknown key" in message
    assert "from-the-file" not in message


def test_a_missing_matrix_section_is_named() -> None:
    message = error_of("[bot]\nlanguage = 'en'\n", {"COMPAGNON_PASSWORD": "secret"})
    assert "matrix: required key is missing" in message


def test_a_missing_required_key_is_named() -> None:
    message = error_of('[matrix]\nhomeserver = "https://m.org"\npassword = "x"\n')
    assert "matrix.user_id: required key is missing" in message


def test_without_any_credential_the_error_points_to_the_environment() -> None:
    message = error_of(MINIMAL.replace('password = "from-the-file"', ""))
    assert message.startswith("matrix")
    assert "password" in message
    assert "COMPAGNON_PASSWORD" in message


def test_empty_credentials_count_as_none() -> None:
    text = MINIMAL.replace('"from-the-file"', '""') + 'access_token = ""\n'
    assert "COMPAGNON_PASSWORD" in error_of(text)


def test_an_access_token_alone_is_enough() -> None:
    config = parse(MINIMAL.replace('password = "from-the-file"', 'access_token = "syt_file"'))
    assert config.matrix.access_token == "syt_file"
    assert config.matrix.password == ""


def test_the_environment_password_wins_over_the_file() -> None:
    config = parse(MINIMAL, {"COMPAGNON_PASSWORD": "from-the-environment"})
    assert config.matrix.password == "from-the-environment"


def test_the_environment_access_token_wins_over_the_file() -> None:
    text = MINIMAL + 'access_token = "syt_file"\n'
    config = parse(text, {"COMPAGNON_ACCESS_TOKEN": "syt_environment"})
    assert config.matrix.access_token == "syt_environment"
    assert config.matrix.password == "from-the-file"


def test_the_environment_alone_provides_the_credential() -> None:
    text = MINIMAL.replace('password = "from-the-file"', "")
    config = parse(text, {"COMPAGNON_PASSWORD": "from-the-environment"})
    assert config.matrix.password == "from-the-environment"


def test_an_empty_environment_variable_does_not_erase_the_file() -> None:
    config = parse(MINIMAL, {"COMPAGNON_PASSWORD": "", "COMPAGNON_ACCESS_TOKEN": ""})
    assert config.matrix.password == "from-the-file"
    assert config.matrix.access_token == ""


def test_parsing_does_not_modify_the_data_it_is_given() -> None:
    data = tomllib.loads(MINIMAL)
    parse_config(data, {"COMPAGNON_PASSWORD": "from-the-environment"})
    assert data == tomllib.loads(MINIMAL)


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    path = folder / "compagnon.toml"
    path.write_text(
        MINIMAL + 'store_path = "state/nio"\n[database]\npath = "state/db.sqlite3"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.matrix.store_path == folder / "state/nio"
    assert config.database.path == folder / "state/db.sqlite3"


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_default_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "compagnon.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    config = load_config(path)
    assert config.matrix.store_path == tmp_path / "data"
    assert config.database.path == tmp_path / "data" / "compagnon.sqlite3"


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_absolute_paths_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "compagnon.toml"
    elsewhere = tmp_path / "elsewhere"
    path.write_text(
        MINIMAL + f"store_path = '{elsewhere}/nio'\n[database]\npath = '{elsewhere}/db'\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.matrix.store_path == elsewhere / "nio"
    assert config.database.path == elsewhere / "db"


def test_load_config_reads_credentials_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAGNON_PASSWORD", "from-the-environment")
    monkeypatch.delenv("COMPAGNON_ACCESS_TOKEN", raising=False)
    path = tmp_path / "compagnon.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert load_config(path).matrix.password == "from-the-environment"


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "compagnon.toml"
    path.write_text("[matrix\nhomeserver = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_config(path)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match="no such file") as caught:
        load_config(path)
    assert str(path) in str(caught.value)


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_check_config_accepts_a_good_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "compagnon.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 0
    captured = capsys.readouterr()
    assert "OK" in captured.out
    assert captured.err == ""


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_check_config_refuses_a_bad_file_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "compagnon.toml"
    path.write_text(MINIMAL + '[bot]\nlanguage = "de"\n', encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    captured = capsys.readouterr()
    assert "bot.language" in captured.err
    assert "'de'" in captured.err
    assert "Traceback" not in captured.err
    assert "OK" not in captured.out


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_check_config_refuses_a_malformed_homeserver(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "compagnon.toml"
    path.write_text(MINIMAL.replace("https://matrix.example.org", "htp//nowhere"), encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    captured = capsys.readouterr()
    assert "matrix.homeserver = 'htp//nowhere': expected http:// or https://" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.usefixtures("no_credentials_in_environment")
def test_check_config_refuses_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-config", "--config", str(tmp_path / "absent.toml")]) == 2
    captured = capsys.readouterr()
    assert "no such file" in captured.err
    assert "Traceback" not in captured.err


def test_digest_rooms_are_room_ids() -> None:
    message = error_of(f'{MINIMAL}\n[digest]\nrooms = ["#hall:example.org"]\n')
    assert "'#hall:example.org' is not a room id such as !abc:example.org" in message
    assert parse(f'{MINIMAL}\n[digest]\nrooms = ["!hall:example.org"]\n').digest.rooms == [
        "!hall:example.org"
    ]


LABELLED = f"""{MINIMAL}
[contributions]
domains = ["habitat", "soin", "animation"]

[contributions.domain_labels]
soin = {{ en = "care" }}
animation = {{ en = "events", fr = "animation" }}
"""


def test_domains_may_have_a_label_per_language() -> None:
    config = parse(LABELLED)
    assert config.contributions.domains == ["habitat", "soin", "animation"]
    assert config.contributions.labels("en") == {"soin": "care", "animation": "events"}
    assert config.contributions.labels("fr") == {"animation": "animation"}
    assert [config.contributions.domain_named(typed) for typed in ("Care", "soin", "ÉVENTS")] == [
        "soin",
        "soin",
        "animation",
    ]
    assert config.contributions.domain_named("cooking") is None
    assert parse(MINIMAL).contributions.domain_labels == {}  # a plain list is enough


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ('cuisine = { en = "cooking" }', "domain_labels names 'cuisine', not in domains"),
        ('soin = { en = "habitat" }', "'habitat' would name both 'habitat' and 'soin'"),
        ('soin = { en = "" }', "domain_labels.soin: a label cannot be empty"),
        ('soin = { de = "Pflege" }', "contributions.domain_labels.soin.de"),
    ],
)
def test_a_label_must_name_one_listed_domain(labels: str, expected: str) -> None:
    text = f'{MINIMAL}\n[contributions]\ndomains = ["habitat", "soin"]\n'
    assert expected in error_of(f"{text}\n[contributions.domain_labels]\n{labels}\n")
