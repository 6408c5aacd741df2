"""Drukwerk met WeasyPrint: kaartendecks, draaiboeken en handouts."""
