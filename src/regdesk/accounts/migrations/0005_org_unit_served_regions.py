"""The regions a unit serves: new ICP filings of website owners there go to the unit."""

from django.db import migrations, models

import regdesk.accounts.served_regions


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_unit_contact"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgunit",
            name="served_regions",
            field=models.CharField(
                blank=True,
                help_text=(
                    "GB/T 2260 codes of the provinces (such as 510000) or cities (such as 510100) whose website "
                    "owners this unit serves, separated by spaces or commas. A new ICP filing goes to the unit that "
                    "serves the owner's region most precisely."
                ),
                max_length=1000,
                validators=[regdesk.accounts.served_regions.validate_served_regions],
                verbose_name="served regions",
            ),
        ),
    ]
