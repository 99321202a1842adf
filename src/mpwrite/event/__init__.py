"""The campaign table: one supporter after another, with a volunteer."""
