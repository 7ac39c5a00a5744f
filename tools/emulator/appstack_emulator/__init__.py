"""appstack's local AWS emulator: moto server with shims, fault injection and latency."""

__version__ = "0.1.0"
