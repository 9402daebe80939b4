"""Away and delegation: who is away until when, who covers, and how answers and paging take it into account."""
