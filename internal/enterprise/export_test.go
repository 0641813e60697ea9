package enterprise

// FailImportAfter makes an import fail after n rows were written, as a
// crash or a lost connection would.
func FailImportAfter(o *ImportOptions, n int) { o.failAfter = n }
