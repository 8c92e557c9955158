<?php
/**
 * Runs examples/wordpress/sala/sala.php under PHP with the few WordPress functions it calls, stubbed after their
 * documented behaviour, and prints as JSON what WordPress would put on one page. Used by wordpress.test.ts.
 *
 * Usage: php wordpress-stubs.php PLUGIN '{"option": "...", "view": "single"|"home", "permalink": "...",
 *        "content": "...", "shortcode": {...} | null, "save": "..." | null}'
 */

define('ABSPATH', __DIR__ . '/');

[$_script, $plugin, $scenarioJson] = $argv;
$scenario = json_decode($scenarioJson, true, 512, JSON_THROW_ON_ERROR);

const SALA_STUB_OPTION_KEY = 'sala_worker_url';
$hooks = array();
$options = array(SALA_STUB_OPTION_KEY => $scenario['option']);
$enqueued = array();
$settings = array();
$settingsErrors = array();
$shortcodes = array();

function add_filter($name, $callback, $priority = 10, $accepted_args = 1) {
	$GLOBALS['hooks'][$name][$priority][] = array($callback, $accepted_args);
	return true;
}
function add_action($name, $callback, $priority = 10, $accepted_args = 1) {
	return add_filter($name, $callback, $priority, $accepted_args);
}
function apply_filters($name, $value, ...$args) {
	$byPriority = $GLOBALS['hooks'][$name] ?? array();
	ksort($byPriority);
	foreach ($byPriority as $callbacks) {
		foreach ($callbacks as [$callback, $accepted]) {
			$value = $callback(...array_slice(array_merge(array($value), $args), 0, $accepted));
		}
	}
	return $value;
}
function do_action($name, ...$args) {
	apply_filters($name, $args[0] ?? null, ...array_slice($args, 1));
}

function get_option($name, $default = false) {
	return $GLOBALS['options'][$name] ?? $default;
}
function register_setting($group, $name, $args = array()) {
	$GLOBALS['settings'][$name] = $args;
}
function add_settings_error($setting, $code, $message) {
	$GLOBALS['settingsErrors'][] = $message;
}
function add_settings_section(...$args) {}
function add_settings_field(...$args) {}
function add_options_page(...$args) {}
function __($text, $domain = 'default') {
	return $text;
}

function esc_attr($text) {
	return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8');
}
/** As WordPress's: only allowed protocols, else ''; `&` and quotes encoded for HTML. */
function esc_url($url, $protocols = array('http', 'https')) {
	$url = trim((string) $url);
	$scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
	if ($url === '' || ($scheme !== '' && !in_array($scheme, $protocols, true))) {
		return '';
	}
	return htmlspecialchars(str_replace(' ', '%20', $url), ENT_QUOTES, 'UTF-8');
}
function esc_url_raw($url, $protocols = array('http', 'https')) {
	return htmlspecialchars_decode(esc_url($url, $protocols), ENT_QUOTES);
}
function wp_parse_url($url) {
	return parse_url($url);
}

function wp_enqueue_script($handle, $src = '', $deps = array(), $ver = false, $args = array()) {
	$GLOBALS['enqueued'][$handle] = $src;
}
/** What WP_Scripts prints for each enqueued script: its default tag, through script_loader_tag. */
function stub_print_scripts() {
	$html = '';
	foreach ($GLOBALS['enqueued'] as $handle => $src) {
		$tag = sprintf("<script src=\"%s\" id=\"%s-js\"></script>\n", esc_url($src), esc_attr($handle));
		$html .= apply_filters('script_loader_tag', $tag, $handle, $src);
	}
	return $html;
}

function add_shortcode($tag, $callback) {
	$GLOBALS['shortcodes'][$tag] = $callback;
}
function shortcode_atts($pairs, $atts, $shortcode = '') {
	$atts = (array) $atts;
	$out = array();
	foreach ($pairs as $name => $default) {
		$out[$name] = array_key_exists($name, $atts) ? $atts[$name] : $default;
	}
	return $out;
}

function is_singular($post_types = '') {
	return $GLOBALS['scenario']['view'] === 'single';
}
function in_the_loop() {
	return true;
}
function is_main_query() {
	return true;
}
function get_permalink() {
	return $GLOBALS['scenario']['permalink'];
}

require $plugin;

do_action('admin_init');
do_action('wp_enqueue_scripts');
$result = array(
	'head' => stub_print_scripts(),
	'content' => apply_filters('the_content', $scenario['content']),
	'shortcode' => isset($scenario['shortcode']) ? $shortcodes['sala_popular_posts']($scenario['shortcode']) : null,
);
if (isset($scenario['save'])) {
	$result['saved'] = $settings[SALA_STUB_OPTION_KEY]['sanitize_callback']($scenario['save']);
	$result['errors'] = $settingsErrors;
}
echo json_encode($result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);
