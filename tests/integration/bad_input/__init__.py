"""Bad input everywhere: generated malformed requests and messages against all seven services."""
