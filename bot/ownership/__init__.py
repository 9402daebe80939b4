"""The ownership feature: the index, its answers, the live index and the matrix in the store."""
