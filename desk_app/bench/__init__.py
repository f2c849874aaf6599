"""``desk-app bench``: the desk's speed and memory, each figure beside a baseline of the same run.

Absolute times drift from machine to machine; a ratio to a baseline measured in the same
run on the same machine does not. This package is the core of the bench and never imports
Qt: the figures that drive the real window live in :mod:`desk_app.ui.bench_window`, and
:mod:`desk_app.ui.bench` wires the two together for the command line.

Everything runs on a fresh temporary folder with keys kept in memory: a bench on a counter
PC never touches the desk's own data folder, log folder or keyring.
"""
