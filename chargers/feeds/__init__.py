"""Partner feeds: the deterministic generator of realistic OCPI feeds and the bundled scale-1 copy."""

from chargers.feeds.bundled import bundled_feed_paths
from chargers.feeds.generator import NETWORK_PROFILES, GeneratorConfig, generate, write_feeds

__all__ = ["NETWORK_PROFILES", "GeneratorConfig", "bundled_feed_paths", "generate", "write_feeds"]
