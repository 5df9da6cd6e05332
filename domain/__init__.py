"""The domain's records and the clock: a leaf every layer may import, importing none of them."""
