"""Help requests, persons with consent, referrals between organisations and their messages."""
