"""The request writer (decision 3/2 i–l): drafts of requests for mutual legal assistance,
extradition, transfer of sentenced persons and confiscation, checked for completeness against
the treaty and the requested State's own requirements, reviewed by the central authority and
produced as DOCX and PDF."""
