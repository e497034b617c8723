package io.ferry.orchestrator.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven through its chromedriver, with a
 * fresh profile each time, for the web console's tests. Waits poll the page for a condition; none sleeps a fixed time.
 */
final class Chromium implements AutoCloseable {
    static final Path BROWSER = Path.of(System.getProperty("ferry.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("ferry.chromedriver", "/usr/bin/chromedriver"));

    /** Skips a test class, saying why, where this machine has no Chromium (.ci/run installs it). */
    static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)
                    ? ConditionEvaluationResult.enabled("Chromium at " + BROWSER + ", its driver at " + DRIVER)
                    : ConditionEvaluationResult.disabled("no headless Chromium here (" + BROWSER + " and " + DRIVER
                            + "): install Debian's chromium and chromium-driver (apt-get install -y chromium "
                            + "chromium-driver; .ci/run does) to run the web console's browser tests");
        }
    }

    private final Path profile;
    private final ChromeDriver driver;

    private Chromium(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    static Chromium start() throws IOException {
        Path profile = Files.createTempDirectory("ferry-console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new Chromium(profile, new ChromeDriver(service, options));
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits up to {@code timeout} for {@code condition} to give something other than null or false. */
    <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        // the console redraws a view whole when its data changes: an element found just before may be gone
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** How many elements match {@code css} now. */
    int count(String css) {
        return ((Number) script("return document.querySelectorAll(arguments[0]).length", css)).intValue();
    }

    /** The text of each element matching {@code css}, read at one instant (no element can go stale meanwhile). */
    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0]), e => e.textContent)", css);
    }

    /** The text of the first element matching {@code css}, waiting for one. */
    String text(String css) {
        return await(css, Duration.ofSeconds(20), d -> texts(css).stream().findFirst().orElse(null));
    }

    /** Attribute {@code name} of each element matching {@code css}, read at one instant. */
    @SuppressWarnings("unchecked")
    List<String> attributes(String css, String name) {
        return (List<String>) script("return Array.from(document.querySelectorAll(arguments[0]), e => e.getAttribute(arguments[1]))",
                css, name);
    }

    WebElement find(String test) {
        return await("[data-test=" + test + "]", Duration.ofSeconds(20), d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-test='" + test + "']"));
            return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
        });
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Signs in through the console's own form and waits for the navigation that follows. */
    void signIn(String user, String password) {
        submitSignIn(user, password);
        find("logout");
    }

    /** Fills in and sends the console's sign-in form. */
    void submitSignIn(String user, String password) {
        find("login-user").clear();
        find("login-user").sendKeys(user);
        find("login-password").clear();
        find("login-password").sendKeys(password);
        find("login").click();
    }

    /** Chooses the option whose value is {@code value} once the select offers it (its options load from the API). */
    void choose(String test, String value) {
        await("option " + value + " in " + test, Duration.ofSeconds(20), d -> !d.findElements(
                By.cssSelector("[data-test='" + test + "'] option[value='" + value + "']")).isEmpty());
        new Select(find(test)).selectByValue(value);
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** A picture of the whole page (the window grown to its height), written to {@code file}. */
    Path screenshot(Path file) throws IOException {
        long height = ((Number) script("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(Math.max(height + 20, 600), 4000)));
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
