"""Het inhoudsmodel: laden, schema, model, controles over bestanden heen, validatie, cache en de kaartpasschatter."""
