"""The `dvscreen` command line: one module per group of commands, each with `register(subparsers)`,
wiring the commands to the rooms (screening, models, governance, api, workers).

`cli.screen` (offline screening) imports only the screening engine, so `dvscreen screen` starts
without the web app, the database or the broker; the others migrate the database first
(`cli.setup.prepare`).
"""
