"""Pure calculations on the model: the dataset's figures (and, beside them, SPC)."""
