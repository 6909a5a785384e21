//! Live ticket updates inside one server process: whatever changes a thread publishes an event,
//! and each open page's event stream (server-sent events) passes on the ones its viewer may see.
use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketEvent {
    pub ticket_id: i32,
    pub client_id: i32,
    /// A staff reply or a status change the client sees; `false` for an internal note (only
    /// staff are told of it).
    pub client_visible: bool,
}

#[derive(Debug, Clone)]
pub struct Hub(broadcast::Sender<TicketEvent>);

impl Default for Hub {
    fn default() -> Self {
        // A slow reader that falls this far behind just reloads (it is told it lagged).
        Self(broadcast::channel(256).0)
    }
}

impl Hub {
    pub fn publish(&self, e: TicketEvent) {
        // No receiver (no page open) is not an error.
        let _ = self.0.send(e);
    }
    pub fn subscribe(&self) -> broadcast::Receiver<TicketEvent> {
        self.0.subscribe()
    }
}

impl TicketEvent {
    /// Whether this viewer is told: staff of everything, a client of their own visible changes.
    pub fn visible_to(&self, user_id: i32, is_staff: bool) -> bool {
        is_staff || (self.client_visible && self.client_id == user_id)
    }
}
