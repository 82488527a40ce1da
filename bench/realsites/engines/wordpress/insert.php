<?php
// Install one WordPress site and insert the benchmark's posts through WordPress's own PHP functions.
// php insert.php HOST[:PORT] THEME POSTS.json EXCERPT_WORDS CONFIG -> prints {"post id": permalink path, ...}
// CONFIG names /etc/wordpress/config-CONFIG.php (Debian's wp-config.php reads WORDPRESS_CONFIG).
$_SERVER['HTTP_HOST'] = $argv[1];
$_SERVER['WORDPRESS_CONFIG'] = $argv[5];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = preg_replace('/:.*/', '', $argv[1]);
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/taxonomy.php';
$theme = $argv[2];
$posts = json_decode(file_get_contents($argv[3]), true);
$excerpt_words = intval($argv[4]);
if (!is_blog_installed()) {
    wp_install('WordPress ' . $theme, 'admin', 'admin@example.invalid', false, '', 'realsites-admin-pw');
}
$home = 'http://' . $argv[1];
update_option('siteurl', $home);
update_option('home', $home);
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%postname%/');
update_option('posts_per_page', 8);
update_option('blog_public', 1);
update_option('default_comment_status', 'closed');
update_option('realsites_excerpt_words', $excerpt_words);
switch_theme($theme);
kses_remove_filters();
// Remove the sample post and page.
foreach (get_posts(array('post_type' => array('post', 'page'), 'numberposts' => -1, 'post_status' => 'any')) as $p) {
    wp_delete_post($p->ID, true);
}
$users = array();
$links = array();
foreach ($posts as $p) {
    if (!isset($users[$p['author']])) {
        $u = get_user_by('login', $p['author']);
        $users[$p['author']] = $u ? $u->ID : wp_insert_user(array(
            'user_login' => $p['author'], 'user_pass' => 'realsites-' . $p['author'], 'display_name' => $p['author_name'],
            'role' => 'author', 'user_email' => $p['author'] . '@example.invalid'));
    }
    $cats = array();
    foreach ($p['categories'] as $c) { $cats[] = wp_create_category($c); }
    $date = gmdate('Y-m-d H:i:s', strtotime($p['date']));
    $id = wp_insert_post(array(
        'post_title' => $p['title'], 'post_content' => $p['html'], 'post_status' => 'publish',
        'post_date' => $date, 'post_date_gmt' => $date, 'post_name' => $p['slug'],
        'post_author' => $users[$p['author']], 'post_category' => $cats, 'tags_input' => $p['tags'],
    ), true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    $links[$p['id']] = wp_make_link_relative(get_permalink($id));
}
flush_rewrite_rules(true);
echo json_encode($links);
