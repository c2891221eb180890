from nalirifox_screen.formats import *  # noqa: F403 — one set of formats for every language
