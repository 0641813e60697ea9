package site

// Names the external tests (package site_test) use.

var PathParam = pathParam
