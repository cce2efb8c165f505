"""Support groups run by carers in each locality: listings, recurring meetings, followers and the personal calendar feed."""
