"""The training platform: the reference implementation of the city platform contract.

A real HTTP service (FastAPI on uvicorn) with its state in SQLite. It serves the
management list, keeps synthetic residents' credit archives, decides by the tiered
thresholds, takes settlements and adjusts credit, and takes monthly reports. The desk
runs against it in training mode, the tests drive it over HTTP, and a city's
integrators can test their own server against the same contract
(``docs/platform-api.md``, ``docs/openapi.json``).

It shares nothing with the desk but the contract and :mod:`desk_app.identity`.
"""
