//! The client-side rate limiter of botocore's `adaptive` retry mode
//! (`botocore/retries/adaptive.py`, `throttling.py`, `bucket.py`), number for
//! number: a CUBIC rate calculator, a token bucket that is only consulted
//! once a throttling error has been seen, and a clock of the measured send
//! rate. Time is passed in (seconds since the epoch, as botocore's
//! `time.time()` clock), so callers can sleep asynchronously and tests can
//! replay a timeline.

use std::sync::Mutex;

/// `CubicCalculator`.
#[derive(Debug, Clone)]
struct Cubic {
    w_max: f64,
    k: f64,
    last_fail: f64,
}

impl Cubic {
    const SCALE_CONSTANT: f64 = 0.4;
    const BETA: f64 = 0.7;

    fn new(starting_max_rate: f64, start_time: f64) -> Cubic {
        let mut cubic = Cubic {
            w_max: starting_max_rate,
            k: 0.0,
            last_fail: start_time,
        };
        cubic.k = cubic.zero_point();
        cubic
    }

    fn zero_point(&self) -> f64 {
        (self.w_max * (1.0 - Self::BETA) / Self::SCALE_CONSTANT).powf(1.0 / 3.0)
    }

    fn success_received(&self, timestamp: f64) -> f64 {
        let dt = timestamp - self.last_fail;
        Self::SCALE_CONSTANT * (dt - self.k).powi(3) + self.w_max
    }

    fn error_received(&mut self, current_rate: f64, timestamp: f64) -> f64 {
        self.w_max = current_rate;
        self.k = self.zero_point();
        self.last_fail = timestamp;
        current_rate * Self::BETA
    }
}

/// `TokenBucket`.
#[derive(Debug, Clone)]
struct TokenBucket {
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_timestamp: Option<f64>,
}

impl TokenBucket {
    const MIN_RATE: f64 = 0.5;

    fn new(max_rate: f64, now: f64) -> TokenBucket {
        let mut bucket = TokenBucket {
            fill_rate: 0.0,
            max_capacity: 0.0,
            current_capacity: 0.0,
            last_timestamp: None,
        };
        bucket.set_max_rate(max_rate, now);
        bucket
    }

    fn set_max_rate(&mut self, value: f64, now: f64) {
        self.refill(now);
        self.fill_rate = value.max(Self::MIN_RATE);
        self.max_capacity = if value >= 1.0 { value } else { 1.0 };
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }

    fn refill(&mut self, now: f64) {
        let Some(last) = self.last_timestamp else {
            self.last_timestamp = Some(now);
            return;
        };
        let fill_amount = (now - last) * self.fill_rate;
        self.current_capacity = self.max_capacity.min(self.current_capacity + fill_amount);
        self.last_timestamp = Some(now);
    }

    /// Takes one token, or says how long to wait before asking again.
    fn try_acquire(&mut self, now: f64) -> Result<(), f64> {
        self.refill(now);
        if 1.0 <= self.current_capacity {
            self.current_capacity -= 1.0;
            return Ok(());
        }
        Err((1.0 - self.current_capacity) / self.fill_rate)
    }
}

/// `RateClocker`.
#[derive(Debug, Clone)]
struct RateClocker {
    measured_rate: f64,
    last_bucket: f64,
    count: f64,
}

impl RateClocker {
    const SMOOTHING: f64 = 0.8;
    const TIME_BUCKET_SCALE: f64 = 1.0 / 0.5;

    fn new(now: f64) -> RateClocker {
        RateClocker {
            measured_rate: 0.0,
            last_bucket: now.floor(),
            count: 0.0,
        }
    }

    fn record(&mut self, now: f64) -> f64 {
        let bucket = (now * Self::TIME_BUCKET_SCALE).floor() / Self::TIME_BUCKET_SCALE;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current_rate = self.count / (bucket - self.last_bucket);
            self.measured_rate =
                current_rate * Self::SMOOTHING + self.measured_rate * (1.0 - Self::SMOOTHING);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
        self.measured_rate
    }
}

#[derive(Debug, Clone)]
struct State {
    enabled: bool,
    cubic: Cubic,
    bucket: TokenBucket,
    clocker: RateClocker,
}

/// `ClientRateLimiter`: one per client, shared by its threads.
#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<State>,
}

/// What the limiter looks like after an event (for tests and debugging).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snapshot {
    pub enabled: bool,
    pub max_rate: f64,
    pub capacity: f64,
    pub measured_rate: f64,
}

impl RateLimiter {
    const MAX_RATE_ADJUST_SCALE: f64 = 2.0;

    pub fn new(now: f64) -> RateLimiter {
        RateLimiter {
            state: Mutex::new(State {
                enabled: false,
                cubic: Cubic::new(0.0, now),
                bucket: TokenBucket::new(1.0, now),
                clocker: RateClocker::new(now),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `on_sending_request`: Ok to send now, or the wait (seconds) before
    /// asking again. Never limits before the first throttling error.
    pub fn before_send(&self, now: f64) -> Result<(), f64> {
        let mut state = self.lock();
        if !state.enabled {
            return Ok(());
        }
        state.bucket.try_acquire(now)
    }

    /// `on_receiving_response`, for every attempt's outcome (connection
    /// errors count as non-throttling, as in botocore).
    pub fn after_attempt(&self, throttled: bool, now: f64) {
        let mut state = self.lock();
        let measured_rate = state.clocker.record(now);
        let new_rate = if !throttled {
            state.cubic.success_received(now)
        } else {
            let rate_to_use = if state.enabled {
                measured_rate.min(state.bucket.fill_rate)
            } else {
                measured_rate
            };
            state.enabled = true;
            state.cubic.error_received(rate_to_use, now)
        };
        state.bucket.set_max_rate(
            new_rate.min(Self::MAX_RATE_ADJUST_SCALE * measured_rate),
            now,
        );
    }

    pub fn snapshot(&self) -> Snapshot {
        let state = self.lock();
        Snapshot {
            enabled: state.enabled,
            max_rate: state.bucket.fill_rate,
            capacity: state.bucket.current_capacity,
            measured_rate: state.clocker.measured_rate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_limits_before_a_throttling_error() {
        let limiter = RateLimiter::new(1000.0);
        for i in 0..100 {
            let now = 1000.0 + f64::from(i) * 0.001;
            assert_eq!(limiter.before_send(now), Ok(()));
            limiter.after_attempt(false, now);
        }
        assert!(!limiter.snapshot().enabled);
    }

    #[test]
    fn a_throttle_cuts_the_rate_and_later_sends_wait() {
        let limiter = RateLimiter::new(1000.0);
        // ten sends a second for three seconds, then a throttle
        let mut now = 1000.0;
        for _ in 0..30 {
            limiter.after_attempt(false, now);
            now += 0.1;
        }
        limiter.after_attempt(true, now);
        let snap = limiter.snapshot();
        assert!(snap.enabled);
        // CUBIC: 0.7 × the measured rate (about 10/s), bounded by 2× it
        assert!(
            (snap.max_rate - 0.7 * snap.measured_rate).abs() < 1e-9,
            "{snap:?}"
        );
        let mut sent = 0;
        let mut waited = 0.0;
        while sent < 30 {
            match limiter.before_send(now) {
                Ok(()) => sent += 1,
                Err(wait) => {
                    assert!(wait > 0.0);
                    // a real sleep always moves the clock on; float
                    // rounding can leave a wait too small to move `now`
                    let step = wait.max(1e-6);
                    waited += step;
                    now += step;
                }
            }
        }
        // what the bucket held, then one token per 1/max_rate seconds
        let expected = (30.0 - snap.capacity.floor()) / snap.max_rate;
        assert!(
            (waited - expected).abs() < 0.2 * expected,
            "waited {waited}, expected about {expected}, {snap:?}"
        );
    }

    #[test]
    fn min_rate_keeps_the_bucket_filling() {
        let limiter = RateLimiter::new(0.0);
        limiter.after_attempt(true, 0.0);
        let snap = limiter.snapshot();
        assert_eq!(snap.max_rate, TokenBucket::MIN_RATE);
        assert_eq!(limiter.before_send(0.0), Err(2.0));
        assert_eq!(limiter.before_send(2.0), Ok(()));
    }
}
