"""Case study forms: the library's filters, writing and tagging, who features, media, review,
consent and publication, and contributor invitations."""
