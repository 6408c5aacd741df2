"""Hulp voor redacteuren: nieuwe bestanden, spelling en CONTRIBUTING.md."""
