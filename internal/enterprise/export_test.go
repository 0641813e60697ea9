package enterprise

// FailImportAfter makes an import fail after n rows were written, as a
// crash or a lost connection would.
func FailImportAfter(o *ImportOptions, n int) { o.failAfter = n }

// SetNameWindow sets how many name matches the list runs on at a time.
func SetNameWindow(n int) func() {
	old := nameIDsInline
	nameIDsInline = n
	return func() { nameIDsInline = old }
}
