"""Where an MP comes from: postal codes, ridings, the local store, Represent and MP data."""
