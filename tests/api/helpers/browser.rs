//! Headless Debian Chromium driven through chromedriver by fantoccini, keyboard only,
//! screenshot, axe-core. Fails (never skips) when chromium/chromedriver/axe-core are missing.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The flags that work here (machines/rust.md) plus --disable-dev-shm-usage and a window size.
pub const ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
];

/// chromedriver on a port it chose itself (`--port=0`, no free-port race), in a process group of
/// its own so that Drop can kill it *and* the Chromium it started, even when the test panics.
pub struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    pub fn start() -> Chromedriver {
        assert!(
            Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
            "{CHROMEDRIVER} or {CHROMIUM} is missing: apt-get install chromium chromium-driver \
             (or skip the browser tests: cargo test -- --skip browser)"
        );
        // chromedriver given port 0 binds ::1 to a free port, then 127.0.0.1 to the same one,
        // and exits ("bind() failed: Address already in use") when another test's server holds
        // that port on 127.0.0.1. Such an exit, before the port line, is worth another try.
        for _ in 0..5 {
            if let Some(driver) = Self::try_start() {
                return driver;
            }
        }
        panic!("chromedriver exited before printing its port, five times");
    }

    /// None when chromedriver exited without printing its port; panics when it printed
    /// nothing for 10 s.
    fn try_start() -> Option<Chromedriver> {
        let mut child = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads the port line, then keeps draining stdout so chromedriver never blocks on it.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) =
                    line.strip_prefix("ChromeDriver was started successfully on port ")
                {
                    let _ = tx.send(rest.trim_end_matches('.').parse::<u16>().unwrap());
                }
            }
        });
        let printed = rx.recv_timeout(Duration::from_secs(10));
        if let Ok(port) = printed {
            return Some(Chromedriver { child, port });
        }
        let _ = child.kill();
        let _ = child.wait();
        match printed {
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                panic!("chromedriver printed no port within 10 s")
            }
            _ => None,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until GET /status says ready. (A real HTTP client: chromedriver ignores
    /// `Connection: close` and keeps the socket open, so read-to-EOF would hang.)
    pub async fn ready(&self) {
        use http_body_util::{BodyExt, Empty};
        use hyper_util::client::legacy::Client;
        use hyper_util::rt::TokioExecutor;
        let client: Client<_, Empty<bytes::Bytes>> =
            Client::builder(TokioExecutor::new()).build(HttpConnector::new());
        let url: hyper::Uri = format!("{}/status", self.url()).parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let answer =
                tokio::time::timeout(Duration::from_secs(2), client.get(url.clone())).await;
            if let Ok(Ok(resp)) = answer {
                let body = resp.into_body().collect().await.unwrap().to_bytes();
                let v: Value = serde_json::from_slice(&body).unwrap();
                if v["value"]["ready"] == true {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready within 10 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

/// A browser session; also owns chromedriver and the profile directory.
pub struct Browser {
    pub client: Client,
    _profile: tempfile::TempDir,
    _driver: Chromedriver,
}

impl Browser {
    pub async fn start() -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut args: Vec<String> = ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let driver = Chromedriver::start();
        driver.ready().await;
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.as_object().unwrap().clone())
            .connect(&driver.url())
            .await
            .expect("a Chromium session");
        Browser {
            client,
            _profile: profile,
            _driver: driver,
        }
    }

    /// Presses one key on whatever has focus (WebDriver Actions; no element needed).
    pub async fn press(&self, key: Key) {
        let k = char::from(key);
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.client.perform_actions(keys).await.unwrap();
    }

    /// Types text into whatever has focus.
    pub async fn type_text(&self, text: &str) {
        let mut keys = KeyActions::new("keyboard".into());
        for c in text.chars() {
            keys = keys
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(keys).await.unwrap();
    }

    /// The `name` (or tag) of the focused element.
    pub async fn focused(&self) -> String {
        let el = self.client.active_element().await.unwrap();
        match el.attr("name").await.unwrap() {
            Some(n) => n,
            None => el.tag_name().await.unwrap(),
        }
    }

    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    /// Injects axe-core and returns its violations (an array, empty when clean).
    pub async fn axe_violations(&self) -> Vec<Value> {
        let src = std::fs::read_to_string(axe_path()).unwrap();
        self.client
            .execute(&src, vec![])
            .await
            .expect("axe.min.js loads");
        // A returned promise is awaited by chromedriver (W3C execute/sync); equivalent to
        // execute_async with the callback `arguments[arguments.length - 1]`.
        let result = self
            .client
            .execute(
                "return axe.run(document, { resultTypes: ['violations'] })
                        .then(r => r.violations.map(v => ({
                            id: v.id, impact: v.impact, help: v.help,
                            targets: v.nodes.map(n => n.target.join(' ')) })));",
                vec![],
            )
            .await
            .expect("axe.run");
        result.as_array().unwrap().clone()
    }

    pub async fn close(self) {
        self.client.close().await.unwrap();
    }
}

pub fn axe_path() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/axe/node_modules/axe-core/axe.min.js");
    assert!(
        p.exists(),
        "{} missing: npm install --prefix target/axe --no-save axe-core@4.14.1",
        p.display()
    );
    p
}

pub fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser")
}
