// Fails the invoker run unless the verification failed exactly because the broken feature lacks JNA,
// while the same feature with JNA resolved (so the failure is the missing bundle, not the set-up).
def log = new File(basedir, 'build.log').text

assert log.contains('Verification of feature jxenbus-transport-ring-with-jna/1.0.0 succeeded') :
        'the control feature (with JNA) did not resolve: the set-up is broken, not the feature'
assert log.contains('Feature resolution failed for [jxenbus-transport-ring-without-jna/1.0.0]') :
        'the feature without JNA was not reported as unresolvable'
assert log =~ /missing requirement \[org\.jxenbus\.transport\.(ring|xendev)\/[^\]]+\] osgi\.wiring\.package; filter:="\(&\(osgi\.wiring\.package=com\.sun\.jna\)/ :
        'the failure does not name the import of com.sun.jna'
assert log.contains('Features verified: 2, failures: 1') : 'expected exactly one failure of two features'
return true
