package journey

// Timeline events written by journeys and the dispatcher. Documented in
// docs/journeys.md; measurement reads them.
const (
	EventEntered        = "Journey Entered"
	EventStep           = "Journey Step"
	EventExited         = "Journey Exited"
	EventGoalReached    = "Goal Reached"
	EventProfileUpdated = "Profile Updated" // an update node's trait changes
	EventMessageSent    = "Message Sent"
	EventMessageSkipped = "Message Skipped"
	EventMessageFailed  = "Message Failed"
	EventMessageOpened  = "Message Opened"
	EventMessageClicked = "Message Clicked"
)

// Exit reasons.
const (
	ExitCompleted     = "completed"     // reached an exit node or the end of a path
	ExitGoal          = "goal"          // converted
	ExitCriteria      = "exit_criteria" // an exit event or segment change
	ExitStopped       = "stopped"       // the journey was stopped
	ExitMessageFailed = "message_failed"
	ExitJump          = "jump"       // moved to another journey
	ExitLoopLimit     = "loop_limit" // too many steps without waiting
	ExitMigrated      = "migrated"   // node missing in the version it was pinned to
)
