"""One module per feature, each registering its generator with `bench.generate.generator`; found by walking here."""
