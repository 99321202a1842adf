"""Reading supporters' CSV files as people really have them."""
