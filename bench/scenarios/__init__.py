"""One module per app; each registers its scenarios with bench.registry.scenario."""
