"""Review by the central authority, and the request's history."""

from django.urls import path

from . import review_views

urlpatterns = [
    path("review/", review_views.review_queue, name="review_queue"),
    path("<int:pk>/review/", review_views.review, name="review"),
    path("<int:pk>/review/comment/", review_views.review_comment, name="review_comment"),
    path("<int:pk>/review/return/", review_views.review_return, name="review_return"),
    path("<int:pk>/review/approve/", review_views.review_approve, name="review_approve"),
    path("<int:pk>/translation/", review_views.translation, name="translation"),
    path("<int:pk>/comments/", review_views.comments, name="comments"),
    path("<int:pk>/history/", review_views.draft_history, name="history"),
]
