"""The data model: projects and their members, documents, entities, claims and review."""

from annotator.models.claim import Claim
from annotator.models.document import Document, Entity
from annotator.models.job import Job, JobChunk, JobState
from annotator.models.project import Membership, Project, Role
from annotator.models.suggestion import Suggestion, SuggestionDecision
from annotator.models.trained import TrainedSuggester
from annotator.models.workflow import Assignment, Review

__all__ = [
    "Assignment",
    "Claim",
    "Document",
    "Entity",
    "Job",
    "JobChunk",
    "JobState",
    "Membership",
    "Project",
    "Review",
    "Role",
    "Suggestion",
    "SuggestionDecision",
    "TrainedSuggester",
]
