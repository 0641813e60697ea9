package enterprise

// Names the external tests (package enterprise_test) use.

type ReviewRequest = reviewRequest
