// The Android application (platform glue: calls, NFC, notifications, discovery,
// background sync) comes with the next issue. Until then this module is an
// empty placeholder so that the settings name every module of the design.
