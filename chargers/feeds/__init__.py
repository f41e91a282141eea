"""Partner feeds: the deterministic generator of realistic OCPI feeds and the bundled scale-1 copy."""
from chargers.feeds.generator import NETWORK_PROFILES, GeneratorConfig, generate, write_feeds
from chargers.feeds.bundled import bundled_feed_paths

__all__ = ["NETWORK_PROFILES", "GeneratorConfig", "generate", "write_feeds", "bundled_feed_paths"]
