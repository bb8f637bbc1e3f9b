//! Configuration of the Edge proxy (JSON or YAML, environment overrides).
