<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="windows-874">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>โรงเรียนสังกัดกรุงเทพมหานคร ในพื้นที่เขตตัวอย่าง | สำนักงานเขตตัวอย่าง กรุงเทพมหานคร</title>
<link rel="stylesheet" href="/css/style.css">
</head>
<body>
<header class="top">
  <a href="/" class="brand"><img src="/images/logo.png" alt="ตราสัญลักษณ์กรุงเทพมหานคร" width="64" height="64">
  <span class="name">สำนักงานเขตตัวอย่าง<br><small>กรุงเทพมหานคร</small></span></a>
</header>
<nav class="menu"><ul>
<li><a href="/">หน้าแรก</a></li>
<li class="dropdown"><a href="/about/">เกี่ยวกับเขต v</a><ul class="sub">
<li><a href="/about/history/">ประวัติความเป็นมา</a></li>
<li><a href="/about/structure/">โครงสร้างหน่วยงาน</a></li>
<li><a href="/about/executives/">ผู้บริหาร</a></li>
<li><a href="/about/duties/">อำนาจหน้าที่</a></li>
<li><a href="/about/contact/">ติดต่อเรา</a></li>
</ul></li>
<li class="dropdown"><a href="/policy/">นโยบายและแผน v</a><ul class="sub">
<li><a href="/policy/governor/">นโยบายผู้ว่าราชการกรุงเทพมหานคร</a></li>
<li><a href="/policy/plan/">แผนพัฒนากรุงเทพมหานคร</a></li>
</ul></li>
<li><a href="/news/">ข่าวประชาสัมพันธ์</a></li>
<li class="dropdown"><a href="/service/">บริการประชาชน v</a><ul class="sub">
<li><a href="/service/manual/">คู่มือสำหรับประชาชน</a></li>
<li><a href="http://eservice.tuayang.bangkok.test/">E-Service บริการออนไลน์</a></li>
<li><a href="http://eservice.tuayang.bangkok.test/track/">ติดตามสถานะคำขออนุญาต</a></li>
<li><a href="/download/">ดาวน์โหลดแบบฟอร์ม</a></li>
</ul></li>
<li><a href="/procurement/">จัดซื้อจัดจ้าง</a></li>
<li class="dropdown"><a href="/ita/">ข้อมูลสาธารณะ v</a><ul class="sub">
<li><a href="/ita/2568/">ITA 2568</a></li>
<li><a href="/ita/2567/">ITA 2567</a></li>
<li><a href="/discretion/">แนวทางการใช้ดุลยพินิจ</a></li>
<li><a href="/khet/school.php">สถานศึกษาในพื้นที่เขต</a></li>
<li><a href="/finance/budget/">ข้อมูลงบประมาณ</a></li>
</ul></li>
<li><a href="http://eservice.tuayang.bangkok.test/anticorruption/">แจ้งเบาะแสการทุจริต</a></li>
<li><a href="/webboard/">กระดานสนทนา</a></li>
</ul></nav>
<div class="crumbs"><a href="/">หน้าแรก</a> &gt; โรงเรียนสังกัดกรุงเทพมหานคร ในพื้นที่เขตตัวอย่าง</div>
<main class="content">
<h1>โรงเรียนสังกัดกรุงเทพมหานคร ในพื้นที่เขตตัวอย่าง</h1>
<p>รายชื่อโรงเรียนสังกัดกรุงเทพมหานคร ในพื้นที่เขตตัวอย่าง (ฝ่ายการศึกษา สำนักงานเขตตัวอย่าง)</p>
<table><tr><th>ที่</th><th>ชื่อโรงเรียน</th><th>ที่ตั้ง</th><th>โทรศัพท์</th></tr><tr><td>1</td><td>โรงเรียนวัดตัวอย่างสมมุติ</td><td>12 ซอยสมมุติราษฎร์ 4 แขวงตัวอย่างเหนือ เขตตัวอย่าง กรุงเทพมหานคร</td><td>0 2000 2101</td></tr><tr><td>2</td><td>โรงเรียนคลองสมมุติ</td><td>45 ถนนริมคลองสมมุติ แขวงตัวอย่างใต้ เขตตัวอย่าง กรุงเทพมหานคร</td><td>0 2000 2102</td></tr><tr><td>3</td><td>โรงเรียนชุมชนร่วมใจสมมุติ</td><td>7 ซอยร่วมใจ แขวงตัวอย่างใต้ เขตตัวอย่าง กรุงเทพมหานคร</td><td>0 2000 2103</td></tr><tr><td>4</td><td>โรงเรียนประชาสมมุติอุปถัมภ์</td><td>88 ถนนสมมุติราษฎร์ แขวงตัวอย่างเหนือ เขตตัวอย่าง กรุงเทพมหานคร</td><td>0 2000 2104</td></tr></table>
<p>ข้อมูล ณ ภาคเรียนที่ 2/2567</p>
</main>
<footer class="bottom">
  <p><strong>สำนักงานเขตตัวอย่าง</strong> เลขที่ 99 ถนนสมมุติราษฎร์ แขวงตัวอย่างเหนือ เขตตัวอย่าง กรุงเทพมหานคร 10999<br>
  โทรศัพท์ 0 2000 1000 &nbsp; อีเมล <a href="mailto:saraban.tuayang@bangkok.test">saraban.tuayang@bangkok.test</a></p>
  <p><a href="/calendar.php?month=2025-05">ปฏิทินกิจกรรม</a> &#183;
     <a href="/loop/a">ระบบเว็บไซต์เดิม</a> &#183;
     <a href="/sitemap/">แผนผังเว็บไซต์</a> &#183;
     <a href="http://www.nacc.go.test/">สำนักงาน ป.ป.ช.</a></p>
  <p class="small">สงวนลิขสิทธิ์ พ.ศ. 2568 สำนักงานเขตตัวอย่าง (เว็บไซต์สาธิต ข้อมูลทั้งหมดเป็นข้อมูลสมมุติ)</p>
</footer>
</body>
</html>
