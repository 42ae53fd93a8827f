"""Per-article steps of newsbeam: pure functions plus the Beam DoFns that adapt them."""
