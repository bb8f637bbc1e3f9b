//! Safe multi-pattern matching over Vectorscan for Edge policies.
