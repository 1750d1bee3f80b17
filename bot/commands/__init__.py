"""The command side: a router per family of commands, and the dispatcher that runs them."""
