<?php
/**
 * Runs examples/wordpress/sala/sala.php under PHP with the few WordPress functions it calls, stubbed after their
 * documented behaviour, and prints as JSON what WordPress would put on one page. Used by wordpress.test.ts.
 *
 * Usage: php wordpress-stubs.php PLUGIN '{"option": "...", "view": "single"|"home", "permalink": "...",
 *        "content": "...", "shortcode": {...} | null, "save": "..." | null,
 *        "posts": {"42": {"type": "post", "permalink": "..."}}, "queried": 42, "titles": [42, 41]}'
 * contents: more posts' texts, each through the_content as content is, printed as "contents" in that order.
 * titles: the posts whose Title and Date blocks a block theme renders (a Query Loop's, or a single post's own),
 * printed as "blocks"; queried: the post a single page shows.
 * list: a Post Template's posts, each {"id": 42, "parts": ["<figure>…", ["core/post-title", "<h2>…</h2>"], …]}, its
 * blocks rendered in turn with the post's id as context and the whole as the Post Template does; printed as "list".
 * posts[id].content: the post's text as stored, posts[id].meta its meta (printed as "meta" after the page); a synced
 * pattern is a post of type "wp_block" (status, password: see get_post). The post's text goes through do_blocks.
 * template: a block theme's template for the page, parts: its template parts' files by slug, savedParts: its parts as
 * the Site Editor stored them (see get_block_template); the look-ups of parts and posts made are printed as "lookups".
 * patterns: the theme's registered patterns' content by name; the plugin's reads printed as "patterns".
 * html: a Custom HTML block of the template, printed as "html".
 * noThread: a theme's functions.php has add_filter('sala_thread', '__return_false'). htmlInContent: the Custom HTML
 * block is the post's own, rendered by do_blocks within the_content (at priority 9, as WordPress does), after content.
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
	$GLOBALS['stubDoing'][] = $name;
	foreach ($byPriority as $callbacks) {
		foreach ($callbacks as [$callback, $accepted]) {
			$value = $callback(...array_slice(array_merge(array($value), $args), 0, $accepted));
		}
	}
	array_pop($GLOBALS['stubDoing']);
	return $value;
}
/** Whether the filter runs now, its callbacks or what they call. */
function doing_filter($name) {
	return in_array($name, $GLOBALS['stubDoing'] ?? array(), true);
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
function __return_false() {
	return false;
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
/** The post in the loop's, or the one given's (an id). */
function get_permalink($post = 0) {
	return $post ? $GLOBALS['scenario']['posts'][$post]['permalink'] : $GLOBALS['scenario']['permalink'];
}
function get_post_type($post = null) {
	return $GLOBALS['scenario']['posts'][$post]['type'] ?? false;
}
/** The post a Post Template is rendering (the loop's), else the one a single page shows. */
function get_the_ID() {
	return $GLOBALS['stubLoopPost'] ?? ($GLOBALS['scenario']['queried'] ?? false);
}
function get_post_field($field, $post) {
	return $field === 'post_content' ? ($GLOBALS['scenario']['posts'][$post]['content'] ?? '') : '';
}
/**
 * The post as WP_Post has it (type, status, password, content; a post's status 'publish' unless posts[id].status
 * says), or null for no such post, as WordPress's get_post(): the plugin's calls are look-ups, counted in "lookups"
 * (WordPress answers a repeat from its object cache, and its own rendering of the same post after).
 */
function get_post($post = null) {
	$GLOBALS['stubLookups']++;
	return stub_post((int) $post);
}
function stub_post(int $id) {
	$post = $GLOBALS['scenario']['posts'][$id] ?? null;
	return $post === null ? null : (object) array(
		'ID' => $id,
		'post_type' => $post['type'],
		'post_status' => $post['status'] ?? 'publish',
		'post_password' => $post['password'] ?? '',
		'post_content' => $post['content'] ?? '',
	);
}

/**
 * The theme's and plugins' patterns, as WordPress 6.4+ keeps them: the scenario's patterns by name ("theme/x"), their
 * content read once (from the theme's file, in 6.5+) and kept. get_registered() gives a pattern's properties, or null
 * for a name not registered; the plugin's reads are printed in order as "patterns".
 */
final class WP_Block_Patterns_Registry {
	private static $instance = null;
	public static function get_instance() {
		return self::$instance ?? (self::$instance = new self());
	}
	public function is_registered($pattern_name) {
		return isset($GLOBALS['scenario']['patterns'][$pattern_name]);
	}
	public function get_registered($pattern_name) {
		$GLOBALS['stubPatternReads'][] = $pattern_name;
		if (!$this->is_registered($pattern_name)) {
			return null;
		}
		$content = $GLOBALS['scenario']['patterns'][$pattern_name];
		return array('name' => $pattern_name, 'title' => $pattern_name, 'content' => $content);
	}
}
$stubPatternReads = array();

/**
 * do_blocks() on the post's text (the_content at priority 9, before the plugin's filter), as far as these tests need:
 * a synced pattern (core/block) renders its wp_block post's blocks as render_block_core_block() does (published and
 * without a password, else nothing), a theme's pattern (core/pattern) its registered content as
 * render_block_core_pattern() does (nothing for an unknown name), either one inside itself nothing; every block's
 * comment delimiters go, leaving its HTML.
 */
function do_blocks($content) {
	static $rendering = array();
	$rendered = preg_replace_callback(
		'/<!--\s+wp:(?:core\/)?(block|pattern)\s+(\{.*?\})\s+\/-->/s',
		function ($block) use (&$rendering) {
			$attributes = json_decode($block[2], true);
			$name = $block[1] === 'block' ? (int) ($attributes['ref'] ?? 0) : ($attributes['slug'] ?? '');
			$key = "{$block[1]}:$name";
			if (isset($rendering[$key])) {
				return '';
			}
			if ($block[1] === 'block') {
				$post = stub_post((int) ($attributes['ref'] ?? 0));
				$shown = $post && $post->post_type === 'wp_block' && $post->post_status === 'publish';
				$inner = $shown && $post->post_password === '' ? $post->post_content : null;
			} else {
				$inner = $GLOBALS['scenario']['patterns'][$attributes['slug'] ?? ''] ?? null;
			}
			if ($inner === null) {
				return '';
			}
			$rendering[$key] = true;
			$html = do_blocks($inner);
			unset($rendering[$key]);
			return $html;
		},
		$content
	);
	return preg_replace('/<!--\s+\/?wp:.*?-->/s', '', $rendered);
}

/** Posts' meta: posts[id].meta as stored, printed as "meta" after the page, as the plugin left it. */
$stubMeta = array();
foreach ($scenario['posts'] ?? array() as $id => $post) {
	$stubMeta[$id] = $post['meta'] ?? array();
}
/** With $single, the value, or '' for none. */
function get_post_meta($post_id, $key = '', $single = false) {
	$value = $GLOBALS['stubMeta'][$post_id][$key] ?? null;
	return $single ? ($value ?? '') : ($value === null ? array() : array($value));
}
/** As WordPress's: the value is unslashed (wp_unslash) before it is stored. */
function update_post_meta($post_id, $meta_key, $meta_value) {
	$GLOBALS['stubMeta'][$post_id][$meta_key] = wp_unslash($meta_value);
	return true;
}
function delete_post_meta($post_id, $meta_key) {
	unset($GLOBALS['stubMeta'][$post_id][$meta_key]);
	return true;
}
function wp_slash($value) {
	return is_string($value) ? addslashes($value) : $value;
}
function wp_unslash($value) {
	return is_string($value) ? stripslashes($value) : $value;
}

$_wp_current_template_content = $scenario['template'] ?? null;
function get_stylesheet() {
	return 'twentytwentyfour';
}
/**
 * Template parts as WordPress 6.4 to 6.7 find them (wp-includes/block-template-utils.php): the scenario's parts are
 * the active theme's files by slug, its savedParts the wp_template_part posts the Site Editor stored, each
 * {"theme", "slug", "status", "content"}. Each call is one look-up (a database query, then the theme's files),
 * counted in "lookups".
 */
$stubLookups = 0;
function stub_part($theme, $slug, $content) {
	return (object) array('id' => "$theme//$slug", 'theme' => $theme, 'slug' => $slug, 'content' => $content);
}
/**
 * get_block_template("theme//slug", 'wp_template_part'): the stored part of that theme whatever its status
 * ('auto-draft', 'draft', 'publish', 'trash'), else the active theme's file, else null.
 */
function get_block_template($id, $template_type = 'wp_template') {
	$GLOBALS['stubLookups']++;
	[$theme, $slug] = explode('//', $id, 2);
	foreach ($GLOBALS['scenario']['savedParts'] ?? array() as $saved) {
		if ($template_type === 'wp_template_part' && $saved['theme'] === $theme && $saved['slug'] === $slug
			&& in_array($saved['status'], array('auto-draft', 'draft', 'publish', 'trash'), true)) {
			return stub_part($theme, $slug, $saved['content']);
		}
	}
	$content = $GLOBALS['scenario']['parts'][$slug] ?? null;
	if ($theme !== get_stylesheet() || $template_type !== 'wp_template_part' || $content === null) {
		return null;
	}
	return stub_part($theme, $slug, $content);
}
/**
 * get_block_templates(array('slug__in' => …), 'wp_template_part'): the active theme's published stored parts of
 * those slugs, then its files of the slugs none of those has.
 */
function get_block_templates($query = array(), $template_type = 'wp_template') {
	$GLOBALS['stubLookups']++;
	$slugs = $query['slug__in'] ?? null;
	$found = array();
	if ($template_type !== 'wp_template_part') {
		return $found;
	}
	foreach ($GLOBALS['scenario']['savedParts'] ?? array() as $saved) {
		if ($saved['theme'] === get_stylesheet() && $saved['status'] === 'publish'
			&& ($slugs === null || in_array($saved['slug'], $slugs, true))) {
			$found[$saved['slug']] = stub_part($saved['theme'], $saved['slug'], $saved['content']);
		}
	}
	foreach ($GLOBALS['scenario']['parts'] ?? array() as $slug => $content) {
		if (!isset($found[$slug]) && ($slugs === null || in_array($slug, $slugs, true))) {
			$found[$slug] = stub_part(get_stylesheet(), $slug, $content);
		}
	}
	return array_values($found);
}

/** On a single post, its id; elsewhere the queried term's, page's or author's, or 0. */
function get_queried_object_id() {
	return $GLOBALS['scenario']['queried'] ?? 0;
}

/** As WordPress's (wp-includes/class-wp-block.php), the part the render_block filters get: name, block, context. */
class WP_Block {
	public $name;
	public $parsed_block;
	public $context;
	public function __construct($parsed_block, $context) {
		$this->name = $parsed_block['blockName'];
		$this->parsed_block = $parsed_block;
		$this->context = $context;
	}
}
/**
 * Each post's Title and Date blocks as a Post Template renders them (it gives each inner block the post's postId and
 * postType as context), each through the filters WP_Block::render() ends with.
 */
function stub_render_titles($postIds) {
	$html = '';
	foreach ($postIds as $id) {
		$blocks = array(
			'core/post-title' => sprintf(
				'<h2 class="wp-block-post-title"><a href="%s">Post %d</a></h2>',
				esc_url(get_permalink($id)),
				$id
			),
			'core/post-date' => '<div class="wp-block-post-date"><time datetime="2026-11-19">November 19, 2026</time></div>',
		);
		foreach ($blocks as $name => $content) {
			$html .= stub_render_block($name, $content, array('postId' => $id, 'postType' => get_post_type($id)));
		}
	}
	return $html;
}

/** One block through the filters WP_Block::render() ends with. */
function stub_render_block($name, $content, $context) {
	$parsed = array('blockName' => $name, 'attrs' => array(), 'innerBlocks' => array(), 'innerHTML' => '');
	$block = new WP_Block($parsed, $context);
	$content = apply_filters('render_block', $content, $parsed, $block);
	return apply_filters("render_block_{$name}", $content, $parsed, $block);
}

/**
 * A Post Template's posts as render_block_core_post_template() renders them: for each, the post set up as the loop's,
 * its blocks rendered with its postId and postType as context, and the whole as one "core/null" block without any.
 */
function stub_render_list($items) {
	$rendered = array();
	foreach ($items as $item) {
		$GLOBALS['stubLoopPost'] = $item['id'];
		$context = array('postId' => $item['id'], 'postType' => get_post_type($item['id']));
		$html = '';
		foreach ($item['parts'] as $part) {
			$html .= is_string($part) ? $part : stub_render_block($part[0], $part[1], $context);
		}
		$rendered[] = stub_render_block('core/null', $html, array());
		unset($GLOBALS['stubLoopPost']);
	}
	return $rendered;
}

add_filter('the_content', 'do_blocks', 9);
require $plugin;
if (!empty($scenario['htmlInContent'])) {
	add_filter('the_content', function ($content) use ($scenario) {
		return $content . stub_render_block('core/html', $scenario['html'], array());
	}, 9);
}
if (!empty($scenario['noThread'])) {
	add_filter('sala_thread', '__return_false');
}

do_action('admin_init');
do_action('wp_enqueue_scripts');
$result = array(
	'head' => stub_print_scripts(),
	'content' => apply_filters('the_content', $scenario['content']),
	'contents' => array_map(function ($content) {
		return apply_filters('the_content', $content);
	}, $scenario['contents'] ?? array()),
	'shortcode' => isset($scenario['shortcode']) ? $shortcodes['sala_popular_posts']($scenario['shortcode']) : null,
	'blocks' => stub_render_titles($scenario['titles'] ?? array()),
	'list' => stub_render_list($scenario['list'] ?? array()),
	'lookups' => $stubLookups,
	'patterns' => $stubPatternReads,
	'meta' => array_map(function ($meta) {
		return (object) $meta;
	}, $stubMeta),
	'html' => isset($scenario['html']) && empty($scenario['htmlInContent']) ? stub_render_block('core/html', $scenario['html'], array()) : null,
);
if (isset($scenario['save'])) {
	$result['saved'] = $settings[SALA_STUB_OPTION_KEY]['sanitize_callback']($scenario['save']);
	$result['errors'] = $settingsErrors;
}
echo json_encode($result, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);
