"""Input devices at the counter: card readers and keyboard-wedge scanners. No Qt."""
