<!DOCTYPE html>
<html <?php language_attributes(); ?>>
<head>
<meta charset="<?php bloginfo('charset'); ?>">
<?php wp_head(); ?>
</head>
<body <?php body_class(); ?>>
<header><a href="<?php echo esc_url(home_url('/')); ?>"><?php bloginfo('name'); ?></a>
<nav><?php wp_list_categories(array('title_li' => '')); ?></nav></header>
<main>
<?php if (is_archive()) { the_archive_title('<h1>', '</h1>'); } ?>
<?php while (have_posts()) : the_post(); ?>
<article id="post-<?php the_ID(); ?>" <?php post_class('h-entry'); ?>>
<?php if (is_singular()) : ?>
<h1 class="entry-title p-name"><?php the_title(); ?></h1>
<?php else : ?>
<h2 class="entry-title p-name"><a class="u-url" rel="bookmark" href="<?php the_permalink(); ?>"><?php the_title(); ?></a></h2>
<?php endif; ?>
<p class="meta"><time class="dt-published" datetime="<?php echo esc_attr(get_the_date('c')); ?>"><?php echo get_the_date(); ?></time>
by <?php the_author_posts_link(); ?> in <?php the_category(', '); ?></p>
<div class="entry-content e-content"><?php the_content('Continue reading'); ?></div>
<p class="tags"><?php the_tags('', ' '); ?></p>
</article>
<?php endwhile; ?>
<nav class="pagination"><?php posts_nav_link(' ', 'Newer posts', 'Older posts'); ?></nav>
</main>
<footer><p>Powered by WordPress.</p></footer>
<?php wp_footer(); ?>
</body>
</html>
