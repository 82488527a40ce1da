<?php
// realsites bench: automatic excerpts of N words (site option realsites_excerpt_words; WordPress's default is 55).
add_filter('excerpt_length', function ($n) { $w = intval(get_option('realsites_excerpt_words')); return $w > 0 ? $w : $n; }, 99);
