"""How agreements and milestones are exported: the API's serializers over the filtered lists."""

from agreements.api import (
    AgreementSerializer,
    MilestoneSerializer,
    public_agreements,
    public_milestones,
)
from agreements.filters import AgreementFilter, MilestoneFilter
from ijtech.exports import Export

AGREEMENTS = Export("agreements", AgreementFilter, public_agreements, AgreementSerializer)
MILESTONES = Export("milestones", MilestoneFilter, public_milestones, MilestoneSerializer)
