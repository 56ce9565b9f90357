"""Included from sikim.aspirations.urls (app namespace "aspirations"): intake by message.

SMS, Telegram and WhatsApp messages come in through the dissemination webhooks
(`/diseminasi/webhook/…`), which hand keyword messages to the same intake service.
"""

from django.urls import path

from sikim.aspirations import views_intake

urlpatterns: list = [
    path("masuk/email/", views_intake.inbound_email, name="inbound_email"),
]
