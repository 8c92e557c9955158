<?php
/**
 * Plugin Name:       Sala
 * Description:       Sala's comment thread under each post and a [sala_popular_posts] shortcode, served by your own Sala Worker.
 * Version:           1.0.0
 * Requires at least: 6.4
 * Requires PHP:      7.4
 * License:           MIT
 * Text Domain:       sala
 *
 * Settings → Sala takes the Worker's address. Then every single post ends with its thread (unless its text or the
 * block theme's template has one, or the sala_thread filter says no), a block theme's lists show each post's comment
 * count after its title (or its date), and [sala_popular_posts range="30d" limit="3"] in a Shortcode block shows
 * "Popular posts" anywhere.
 * WordPress 6.4 or later: from then on block themes, too, render a single post inside the loop this plugin checks.
 */

if (!defined('ABSPATH')) {
	exit; // WordPress loads this file; a request for it directly gets nothing.
}

const SALA_WORKER_OPTION = 'sala_worker_url';
/** A post's meta (hidden, as its name starts with "_"): the page-id of the thread its block template shows. */
const SALA_PAGE_ID_META = '_sala_page_id';

/** The Worker's origin ("https://comments.example.com"), or '' before it is set. */
function sala_worker_url(): string {
	return (string) get_option(SALA_WORKER_OPTION, '');
}

/** Keeps only the scheme, host and port of what the owner typed: embed.js and the API live at the Worker's root. */
function sala_sanitize_worker_url($value): string {
	$url = esc_url_raw(trim((string) $value), array('https', 'http'));
	$parts = $url === '' ? false : wp_parse_url($url);
	if (!$parts || empty($parts['host'])) {
		if (trim((string) $value) !== '') {
			add_settings_error(SALA_WORKER_OPTION, 'sala_worker_url', __('The Worker address must start with https://.', 'sala'));
		}
		return sala_worker_url();
	}
	return $parts['scheme'] . '://' . $parts['host'] . (isset($parts['port']) ? ':' . $parts['port'] : '');
}

add_action('admin_init', function () {
	register_setting('sala', SALA_WORKER_OPTION, array(
		'type' => 'string',
		'default' => '',
		'sanitize_callback' => 'sala_sanitize_worker_url',
	));
	add_settings_section('sala_worker', __('Your Sala Worker', 'sala'), '__return_false', 'sala');
	add_settings_field(SALA_WORKER_OPTION, __('Worker address', 'sala'), function () {
		printf(
			'<input type="url" class="regular-text" id="%1$s" name="%1$s" value="%2$s" placeholder="https://sala.example.workers.dev" />',
			esc_attr(SALA_WORKER_OPTION),
			esc_attr(sala_worker_url())
		);
	}, 'sala', 'sala_worker', array('label_for' => SALA_WORKER_OPTION));
});

add_action('admin_menu', function () {
	add_options_page('Sala', 'Sala', 'manage_options', 'sala', function () {
		echo '<div class="wrap"><h1>Sala</h1><form method="post" action="options.php">';
		settings_fields('sala');
		do_settings_sections('sala');
		submit_button();
		echo '</form></div>';
	});
});

add_action('wp_enqueue_scripts', function () {
	if (sala_worker_url() !== '') {
		// No version: a ?ver= query would only defeat the Worker's own caching of embed.js.
		wp_enqueue_script('sala-embed', sala_worker_url() . '/embed.js', array(), null, false);
	}
});

/** embed.js is a module: WordPress prints classic scripts, so Sala's tag is written whole here. */
add_filter('script_loader_tag', function ($tag, $handle, $src) {
	if ($handle !== 'sala-embed') {
		return $tag;
	}
	return sprintf('<script type="module" src="%s" id="sala-embed-js"></script>' . "\n", esc_url($src));
}, 10, 3);

/** The thread after the post's text, on a single post only: lists and pages start none. */
add_filter('the_content', function ($content) {
	if (sala_worker_url() === '' || !is_singular('post') || !in_the_loop() || !is_main_query()) {
		return $content;
	}
	// A thread pasted into the post by hand shows instead: a second one for the same post would show nothing.
	if (preg_match('/<sala-comments[\s>\/]/i', $content)) {
		return sala_comments_anchor($content);
	}
	/**
	 * Whether the plugin adds its thread to this post (its id the filter's second argument): not where the theme has
	 * one of its own, which a block theme's template shows (sala_template_thread) but a classic theme's PHP does
	 * not. A classic theme with a <sala-comments> in its single.php or comments.php says so in its functions.php:
	 * add_filter('sala_thread', '__return_false');
	 */
	$template_thread = sala_template_thread();
	sala_keep_template_page_id((int) get_the_ID(), $template_thread);
	if (!apply_filters('sala_thread', $template_thread === null, (int) get_the_ID())) {
		return $content;
	}
	// page-id is the permalink, the same address a comment count for this post names.
	return $content . sprintf('<sala-comments id="comments" page-id="%s"></sala-comments>', esc_attr(get_permalink()));
});

/**
 * The page-id of the first <sala-comments> in some markup ('' for one without), or null for none.
 */
function sala_thread_page_id(string $html): ?string {
	if (!preg_match('/<sala-comments(?=[\s>\/])[^>]*>?/i', $html, $tag)) {
		return null;
	}
	$pattern = '/\spage-id\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>"\']+))/i';
	return preg_match($pattern, $tag[0], $found)
		? html_entity_decode($found[1] . ($found[2] ?? '') . ($found[3] ?? ''), ENT_QUOTES, 'UTF-8')
		: '';
}

/**
 * The thread a block theme's template for this page (Appearance → Editor) has of its own: its page-id ('' for none),
 * or null for no thread. It is in the template, in a template part or pattern it names, or in a part or pattern
 * those name, e.g. a Custom HTML block in place of the Comments block, or the same synced pattern on every post.
 * Read before the template is rendered, since the post's text comes first: the template is in memory; its parts are
 * read as the Template Part block finds them (the active theme's, saved in the Site Editor and published, else the
 * theme's file), all the parts it names in one look-up, then all those parts name in one more, each part once.
 * Twenty Twenty-Four's single post template names three parts (header, post-meta, footer), which name no part: one
 * look-up; the theme's patterns it and they name (comments, footer…) are read from the registry, in memory.
 */
function sala_template_thread(): ?string {
	global $_wp_current_template_content;
	static $thread = false;
	if ($thread === false) {
		$thread = sala_blocks_thread((string) $_wp_current_template_content, true);
	}
	return $thread;
}

/**
 * The page-id of the first <sala-comments> ('' for one without) some blocks show as WordPress renders them, or null
 * for none: in their markup, in the patterns they name, synced (<!-- wp:block {"ref":123} /-->) or the theme's
 * (<!-- wp:pattern {"slug":"theme/x"} /-->), with $parts in the template parts they name, and in what those name in
 * turn, level by level, each read once (a pattern or part naming itself is not read again).
 */
function sala_blocks_thread(string $html, bool $parts): ?string {
	$stylesheet = $parts ? get_stylesheet() : '';
	$markup = array($html);
	$seen = array();
	while ($markup) {
		$next = array();
		$slugs = array();
		foreach ($markup as $html) {
			$thread = sala_thread_page_id($html);
			if ($thread !== null) {
				return $thread;
			}
			// As the block parser reads a block's comment: "core/" may be written, the attributes span lines.
			preg_match_all(
				'/<!--\s+wp:(?:core\/)?(template-part|pattern|block)\s+(\{.*?\})\s+\/?-->/s',
				$html,
				$blocks,
				PREG_SET_ORDER
			);
			foreach ($blocks as [, $name, $json]) {
				$attributes = json_decode($json, true);
				if (!is_array($attributes)) {
					continue;
				}
				if ($name === 'template-part') {
					$slug = isset($attributes['slug']) && is_string($attributes['slug']) ? $attributes['slug'] : '';
					// The block renders the active theme's parts only: one naming another theme renders nothing.
					if ($parts && $slug !== '' && ($attributes['theme'] ?? $stylesheet) === $stylesheet
						&& !isset($seen["part:$slug"])) {
						$seen["part:$slug"] = true;
						$slugs[] = $slug;
					}
					continue;
				}
				$key = $name === 'block'
					? 'block:' . (is_numeric($attributes['ref'] ?? null) ? (int) $attributes['ref'] : 0)
					: 'pattern:' . (is_string($attributes['slug'] ?? null) ? $attributes['slug'] : '');
				$found = isset($seen[$key]) ? null : sala_pattern_markup($key);
				$seen[$key] = true;
				if ($found !== null) {
					$next[] = $found;
				}
			}
		}
		foreach ($slugs ? get_block_templates(array('slug__in' => $slugs), 'wp_template_part') : array() as $found) {
			$next[] = (string) $found->content;
		}
		$markup = $next;
	}
	return null;
}

/**
 * The blocks a Pattern block shows, or null for none, read once a request. "block:123", a synced pattern
 * (Appearance → Editor → Patterns): the wp_block post 123, shown as render_block_core_block() shows it, once
 * published and without a password (one get_post, which WordPress answers from its cache when it renders the block
 * after). "pattern:theme/x", a theme's or plugin's pattern: its registered content, as render_block_core_pattern()
 * reads it (in memory; a theme's pattern file is read once, then kept by the registry).
 */
function sala_pattern_markup(string $key): ?string {
	static $read = array();
	if (array_key_exists($key, $read)) {
		return $read[$key];
	}
	[$kind, $name] = explode(':', $key, 2);
	if ($kind === 'block') {
		$post = (int) $name > 0 ? get_post((int) $name) : null;
		$found = $post && $post->post_type === 'wp_block' && $post->post_status === 'publish'
			&& empty($post->post_password) ? (string) $post->post_content : null;
	} else {
		$pattern = $name !== '' ? WP_Block_Patterns_Registry::get_instance()->get_registered($name) : null;
		$found = is_array($pattern) ? (string) ($pattern['content'] ?? '') : null;
	}
	return $read[$key] = $found;
}

/**
 * The lists' counts read no templates (one per post would be a look-up each): the page-id of the thread a post's
 * template shows, when it is not the post's permalink (a template for this one post, say, whose thread kept the name
 * it had on an older blog), is kept with the post when its page shows, for the counts to name. Written only when it
 * changes, and removed when the post's template has no such thread any more.
 */
function sala_keep_template_page_id(int $post_id, ?string $page_id): void {
	if (!$post_id) {
		return;
	}
	$page_id = $page_id === null || $page_id === get_permalink($post_id) ? '' : $page_id;
	if ((string) get_post_meta($post_id, SALA_PAGE_ID_META, true) === $page_id) {
		return;
	}
	if ($page_id === '') {
		delete_post_meta($post_id, SALA_PAGE_ID_META);
	} else {
		update_post_meta($post_id, SALA_PAGE_ID_META, wp_slash($page_id));
	}
}

/**
 * A thread in a Custom HTML block of the single post's template takes the #comments the count links lead to. One in
 * the post's text is the_content's to anchor, which sees the whole text.
 */
add_filter('render_block_core/html', function ($block_content) {
	if (sala_worker_url() === '' || !is_singular('post') || doing_filter('the_content')
		|| !preg_match('/<sala-comments[\s>\/]/i', $block_content)) {
		return $block_content;
	}
	return sala_comments_anchor($block_content);
});

/**
 * "12 comments" links go to the post's #comments. A pasted thread without an id takes that one, as the plugin's own
 * has: the browser goes there, and the thread brings itself into view again once it has its height. One with an id
 * of its own keeps it (links may name it) and gets an empty anchor just before it; a post that has an element with
 * id="comments" already is left as it is.
 */
function sala_comments_anchor(string $content): string {
	if (preg_match('/\sid\s*=\s*["\']?comments["\'\s>\/]/i', $content)) {
		return $content;
	}
	return preg_replace_callback('/<sala-comments(?=[\s>\/])[^>]*>/i', function ($tag) {
		return preg_match('/\sid\s*=/i', $tag[0])
			? '<span id="comments"></span>' . $tag[0]
			: '<sala-comments id="comments"' . substr($tag[0], strlen('<sala-comments'));
	}, $content, 1);
}

/**
 * The "12 comments" a block theme's list shows for one of its posts, or '' for none: not for the post a single page
 * shows, whose thread is below it, and not for a page, which has no thread. It counts the thread pasted into the
 * post, or into a pattern its text names, if that one has a page-id of its own (the post is in memory already: the
 * list has just read it; a synced pattern is one get_post a request), else the thread its template showed, if that
 * one has (sala_keep_template_page_id; the list read the posts' meta with them). A template part in a post's text
 * (the post editor offers none) is not read: one more look-up per post.
 */
function sala_list_count(int $post_id): string {
	if (sala_worker_url() === '' || !$post_id || get_post_type($post_id) !== 'post'
		|| (is_singular() && $post_id === (int) get_queried_object_id())) {
		return '';
	}
	$permalink = get_permalink($post_id);
	// The thread pasted into the post or into a pattern its text names (the same synced pattern on every post: one
	// get_post for the whole list), else the one its template showed when its page last did.
	$page_id = sala_blocks_thread((string) get_post_field('post_content', $post_id), false)
		?? (string) get_post_meta($post_id, SALA_PAGE_ID_META, true);
	return sprintf(
		'<sala-comment-count href="%s"%s></sala-comment-count>',
		esc_url($permalink),
		$page_id !== '' && $page_id !== $permalink ? sprintf(' page-id="%s"', esc_attr($page_id)) : ''
	);
}

/**
 * Each post of a list as far as it has rendered, keyed by post id: that its blocks rendered with its id as their
 * context, whether its Title block has its count, and its first Date and Excerpt blocks, where a Post Template without
 * a Title block puts the count instead.
 */
$sala_list_posts = array();

/**
 * "12 comments" after each post's title in a block theme's lists: Twenty Twenty-Four's home, archives and search are a
 * Query Loop, whose Post Template renders each post's Title block with that post's id in its context.
 * A classic theme's lists are PHP: the count is pasted there (README.md); the_title would put it in menus and feeds.
 */
add_filter('render_block_core/post-title', function ($block_content, $block, $instance) use (&$sala_list_posts) {
	$post_id = (int) ($instance->context['postId'] ?? 0);
	$count = $block_content === '' ? '' : sala_list_count($post_id);
	if ($count === '') {
		return $block_content;
	}
	$sala_list_posts[$post_id]['counted'] = true;
	return $block_content . $count;
}, 10, 3);

add_filter('render_block', function ($block_content, $block, $instance) use (&$sala_list_posts) {
	$post_id = (int) ($instance->context['postId'] ?? 0);
	if ($post_id) {
		$sala_list_posts[$post_id]['seen'] = true;
		$name = $instance->name;
		if (($name === 'core/post-date' || $name === 'core/post-excerpt') && $block_content !== ''
			&& !isset($sala_list_posts[$post_id][$name])) {
			$sala_list_posts[$post_id][$name] = $block_content;
		}
	}
	return $block_content;
}, 10, 3);

/**
 * A Post Template without a Title block (say the featured image, the date and the excerpt): the count goes after
 * the post's date, the line a reader looks to for it, else after its excerpt, else at the end of the post's place in
 * the list. The Post Template renders each post's blocks as one "core/null" block, with the post set up as the
 * loop's (get_the_ID), then wraps them in its <li>. Other blocks render their items as "core/null" too (a list of
 * terms): those rendered no block with a post's id, and get nothing.
 */
add_filter('render_block_core/null', function ($block_content) use (&$sala_list_posts) {
	$post_id = (int) get_the_ID();
	$seen = $sala_list_posts[$post_id] ?? array();
	unset($sala_list_posts[$post_id]);
	$count = empty($seen['seen']) || !empty($seen['counted']) ? '' : sala_list_count($post_id);
	if ($count === '') {
		return $block_content;
	}
	foreach (array('core/post-date', 'core/post-excerpt') as $name) {
		$at = isset($seen[$name]) ? strpos($block_content, $seen[$name]) : false;
		if ($at !== false) {
			return substr_replace($block_content, $count, $at + strlen($seen[$name]), 0);
		}
	}
	return $block_content . $count;
});

/**
 * [sala_popular_posts range="7d" by="views" limit="5" label="Food" no-thumbnails no-snippets include-current]: any
 * attribute left out keeps its default. WordPress hands a word without a value (no-thumbnails) over by number.
 */
add_shortcode('sala_popular_posts', function ($atts) {
	$words = array_map('strtolower', array_filter((array) $atts, 'is_int', ARRAY_FILTER_USE_KEY));
	$atts = shortcode_atts(array('range' => '', 'by' => '', 'limit' => '', 'label' => ''), $atts, 'sala_popular_posts');
	$attributes = '';
	foreach ($atts as $name => $value) {
		if ($value !== '') {
			$attributes .= sprintf(' %s="%s"', $name, esc_attr($value));
		}
	}
	foreach (array('no-thumbnails', 'no-snippets', 'include-current') as $flag) {
		if (in_array($flag, $words, true)) {
			$attributes .= ' ' . $flag;
		}
	}
	return '<sala-popular-posts' . $attributes . '></sala-popular-posts>';
});
