"""Sample data: a deterministic generator built on real plant data, with injected problems."""
