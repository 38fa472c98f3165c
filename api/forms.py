from django import forms

from api import webhooks
from api.models import ApiKey, Event


class KeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "can_write"]
        labels = {"can_write": "May also write (add candidates, schedule, withdraw)"}


class EndpointForm(forms.Form):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, label="Events to send"
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.check_url(url)
        return url
