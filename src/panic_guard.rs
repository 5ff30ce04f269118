//! Panics fastboto catches stay quiet: a caught panic becomes an error for
//! the caller, so Rust's default hook printing it (and a backtrace) to the
//! user's stderr would only repeat it, possibly quoting user input.

thread_local! {
    /// How many of fastboto's panic guards this thread is inside.
    static GUARDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// `std::panic::catch_unwind` for the binding layer: a panic caught here
/// becomes an error for the caller (a Python exception), so the hook
/// installed by [`install_quiet_panic_hook`] prints nothing for it (its
/// message may quote user input; stderr is the user's).
pub fn catch_unwind<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> std::thread::Result<R> {
    GUARDS.with(|g| g.set(g.get() + 1));
    let outcome = std::panic::catch_unwind(f);
    GUARDS.with(|g| g.set(g.get() - 1));
    outcome
}

/// Wraps the process's panic hook: silent inside [`catch_unwind`], the
/// previous hook (Rust's default, or the host's) everywhere else.
pub fn install_quiet_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDS.with(|g| g.get()) == 0 {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static SEEN_BY_PREVIOUS: Mutex<Vec<String>> = Mutex::new(Vec::new());

    #[test]
    fn guarded_panics_are_silent_and_others_reach_the_previous_hook() {
        let me = format!("{:?}", std::thread::current().id());
        // Other tests' panics still reach Rust's default hook.
        let default = std::panic::take_hook();
        let this_test = me.clone();
        std::panic::set_hook(Box::new(move |info| {
            let id = format!("{:?}", std::thread::current().id());
            if id == this_test {
                SEEN_BY_PREVIOUS.lock().unwrap().push(id);
            } else {
                default(info);
            }
        }));
        install_quiet_panic_hook();
        let seen = || {
            SEEN_BY_PREVIOUS
                .lock()
                .unwrap()
                .iter()
                .filter(|t| **t == me)
                .count()
        };
        assert!(catch_unwind(|| panic!("quiet")).is_err());
        assert_eq!(seen(), 0, "a guarded panic reached the previous hook");
        assert_eq!(catch_unwind(|| 7).unwrap(), 7);
        assert!(std::panic::catch_unwind(|| panic!("loud")).is_err());
        assert_eq!(seen(), 1, "an unguarded panic must reach the previous hook");
    }
}
